"""``id__any_of=ArraySubquery(…)``: ``id = ANY(ARRAY(SELECT …))`` on PostgreSQL.

PostgreSQL runs the subquery once and can then answer the condition from an index, also
inside an OR (a BitmapOr with the other conditions' indexes); ``id IN (SELECT …)`` inside an
OR is checked row by row instead, reading the whole table.
"""

from django.db.models import BigAutoField, Lookup


class AnyOf(Lookup):
    lookup_name = "any_of"

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = compiler.compile(self.rhs)
        return f"{lhs} = ANY({rhs})", [*lhs_params, *rhs_params]


BigAutoField.register_lookup(AnyOf)
