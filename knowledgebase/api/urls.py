from knowledgebase.api import views
from sfa.core.api.routers import AppRouter

router = AppRouter()
router.register("kb/articles", views.ArticleViewSet, basename="kb-article")
router.register("kb/categories", views.CategoryViewSet, basename="kb-category")

urlpatterns = router.urls
