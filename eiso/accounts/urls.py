from django.urls import path

from eiso.accounts import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("password/reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path("password/reset/sent/", views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "password/reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/done/",
        views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("login/code/", views.TwoFactorVerifyView.as_view(), name="two_factor_verify"),
    path("switch/", views.SwitchMembershipView.as_view(), name="switch"),
    path("me/", views.AccountView.as_view(), name="account"),
    path("me/two-factor/", views.TwoFactorEnrolView.as_view(), name="two_factor_enrol"),
    path(
        "me/two-factor/recovery-codes/",
        views.RecoveryCodesView.as_view(),
        name="recovery_codes",
    ),
    path("me/two-factor/off/", views.TwoFactorDisableView.as_view(), name="two_factor_disable"),
    path("me/sessions/<int:pk>/end/", views.SessionEndView.as_view(), name="session_end"),
    path(
        "me/sign-out-everywhere/",
        views.SignOutEverywhereView.as_view(),
        name="sign_out_everywhere",
    ),
    path("me/tokens/", views.ApiTokenCreateView.as_view(), name="token_create"),
    path("me/tokens/<int:pk>/revoke/", views.ApiTokenRevokeView.as_view(), name="token_revoke"),
    path("users/", views.UserListView.as_view(), name="user_list"),
    path("users/new/", views.UserCreateView.as_view(), name="user_create"),
    path("users/import/", views.UserImportView.as_view(), name="user_import"),
    path("users/<int:pk>/", views.UserDetailView.as_view(), name="user_detail"),
    path("users/<int:pk>/edit/", views.UserUpdateView.as_view(), name="user_edit"),
    path("users/<int:pk>/roles/", views.MembershipGrantView.as_view(), name="membership_grant"),
    path(
        "users/<int:pk>/password-link/",
        views.UserPasswordLinkView.as_view(),
        name="user_password_link",
    ),
    path(
        "users/<int:pk>/two-factor/reset/",
        views.UserSecondFactorResetView.as_view(),
        name="user_two_factor_reset",
    ),
    path("memberships/<int:pk>/end/", views.MembershipEndView.as_view(), name="membership_end"),
]
