from django.urls import path

from accounts import views

# Mounted under admin/, before the admin's own addresses.
urlpatterns = [
    path("two-step-login/", views.two_step_login, name="two_step_login"),
]
