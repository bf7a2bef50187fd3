"""The customer self-service portal's shell: login, password reset, overview and profile.

Each module adds its pages as a section (``sfa.portal.sections``); the overview shows each
visible section's paragraph."""

from django import forms
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm, PasswordResetForm
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy

from sfa.customers.services import contact_update_profile
from sfa.portal.access import portal_contact_for, portal_login_required
from sfa.portal.sections import sections_for


class PortalAuthenticationForm(AuthenticationForm):
    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        if portal_contact_for(user) is None:
            raise forms.ValidationError(
                "This login is for customers with portal access; staff log in at /login/.",
                code="not_portal_user",
            )


class PortalPasswordResetForm(PasswordResetForm):
    def get_users(self, email):
        """Only portal customers: staff reset their password elsewhere."""
        return (user for user in super().get_users(email) if portal_contact_for(user))


class PortalLoginView(auth_views.LoginView):
    template_name = "portal/login.html"
    authentication_form = PortalAuthenticationForm

    def dispatch(self, request, *args, **kwargs):
        # Only a logged-in customer who can use the portal skips the form; anyone else (staff,
        # a contact whose access was withdrawn) would bounce between here and the portal.
        self.redirect_authenticated_user = portal_contact_for(request.user) is not None
        return super().dispatch(request, *args, **kwargs)

    def get_success_url(self):
        return self.get_redirect_url() or reverse("portal:home")


class PortalPasswordResetView(auth_views.PasswordResetView):
    template_name = "portal/password_reset.html"
    form_class = PortalPasswordResetForm
    email_template_name = "portal/emails/password_reset.txt"
    subject_template_name = "portal/emails/password_reset_subject.txt"
    success_url = reverse_lazy("portal:password-reset-done")


class PortalPasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "portal/password_reset_confirm.html"
    success_url = reverse_lazy("portal:password-reset-complete")


class ProfileForm(forms.Form):
    first_name = forms.CharField(max_length=100, required=False)
    last_name = forms.CharField(max_length=100)
    phone = forms.CharField(max_length=40, required=False)
    mobile = forms.CharField(max_length=40, required=False)


@portal_login_required
def home(request):
    contact = request.portal_contact
    context = {"contact": contact, "account": contact.account, "sections": sections_for(contact)}
    return render(request, "portal/home.html", context)


@portal_login_required
def profile(request):
    contact = request.portal_contact
    initial = {f: getattr(contact, f) for f in ("first_name", "last_name", "phone", "mobile")}
    form = ProfileForm(request.POST if "profile" in request.POST else None, initial=initial)
    password_form = PasswordChangeForm(
        request.user, request.POST if "password" in request.POST else None
    )
    if form.is_bound and form.is_valid():
        contact_update_profile(contact=contact, actor=request.user, **form.cleaned_data)
        messages.success(request, "Your details are saved.")
        return redirect("portal:profile")
    if password_form.is_bound and password_form.is_valid():
        password_form.save()
        update_session_auth_hash(request, password_form.user)
        messages.success(request, "Your password is changed.")
        return redirect("portal:profile")
    return render(
        request,
        "portal/profile.html",
        {"form": form, "password_form": password_form, "contact": contact},
    )
