from django.urls import path

from debates import fragments, views

app_name = "debates"

urlpatterns = [
    path("<int:debate_id>/comment/", views.comment_post, name="comment-post"),
    path("<int:debate_id>/comments/", fragments.comments_fragment, name="comments"),
    path("<int:debate_id>/close/", views.debate_close, name="close"),
    path("<int:debate_id>/follow/", views.debate_follow, name="follow"),
    path("comment/<int:comment_id>/edit/", views.comment_edit, name="comment-edit"),
    path("comment/<int:comment_id>/like/", views.comment_like, name="comment-like"),
    path("comment/<int:comment_id>/flag/", views.comment_flag, name="comment-flag"),
    path("comment/<int:comment_id>/report/", views.comment_report, name="comment-report"),
    path("comment/<int:comment_id>/delete/", views.comment_delete, name="comment-delete"),
    path("comment/<int:comment_id>/hide/", views.comment_hide, name="comment-hide"),
    path("comment/<int:comment_id>/unhide/", views.comment_unhide, name="comment-unhide"),
    path(
        "comment/<int:comment_id>/dismiss-flags/",
        views.comment_flags_dismiss,
        name="comment-dismiss-flags",
    ),
    path("user/<int:user_id>/block/", views.user_block, name="user-block"),
    path("user/<int:user_id>/unblock/", views.user_unblock, name="user-unblock"),
]
