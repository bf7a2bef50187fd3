from sfa.core.exceptions import ActionForbidden


class OwnArticle(ActionForbidden):
    """The reviewer who publishes an article must not be its author."""

    code = "reviewer_is_author"
