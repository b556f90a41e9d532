from django.urls import path

from articles import views

app_name = "articles"

urlpatterns = [
    path("preview/<str:token>/", views.article_preview, name="preview"),
    path("<slug:slug>/", views.article_detail, name="detail"),
]
