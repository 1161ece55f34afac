from django.urls import path

from eiso.audits.views import bank, checklist, plans, programmes

app_name = "audits"
urlpatterns = [
    path("", plans.AuditListView.as_view(), name="list"),
    path("mine/", plans.MyAuditsView.as_view(), name="mine"),
    path("new/", plans.AuditCreateView.as_view(), name="create"),
    path("findings/", plans.FindingListView.as_view(), name="findings"),
    path("findings/<int:pk>/reply/", plans.FindingReplyView.as_view(), name="finding_reply"),
    path("<int:pk>/", plans.AuditDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", plans.AuditUpdateView.as_view(), name="update"),
    path("<int:pk>/team/add/", plans.TeamAddView.as_view(), name="team_add"),
    path("team/<int:pk>/remove/", plans.TeamRemoveView.as_view(), name="team_remove"),
    path("<int:pk>/schedule/add/", plans.SessionAddView.as_view(), name="session_add"),
    path("schedule/<int:pk>/edit/", plans.SessionUpdateView.as_view(), name="session_update"),
    path("schedule/<int:pk>/delete/", plans.SessionDeleteView.as_view(), name="session_delete"),
    path("<int:pk>/approve/", plans.ApproveView.as_view(), name="approve"),
    path("<int:pk>/revise/", plans.ReviseView.as_view(), name="revise"),
    path("<int:pk>/report/", plans.ReportView.as_view(), name="report"),
    path("<int:pk>/close/", plans.CloseView.as_view(), name="close"),
    path("<int:pk>/plan.docx", plans.PlanFileView.as_view(file_format="docx"), name="plan_docx"),
    path("<int:pk>/plan.pdf", plans.PlanFileView.as_view(file_format="pdf"), name="plan_pdf"),
    path(
        "<int:pk>/report.docx",
        plans.ReportFileView.as_view(file_format="docx"),
        name="report_docx",
    ),
    path("<int:pk>/report.pdf", plans.ReportFileView.as_view(file_format="pdf"), name="report_pdf"),
    path("<int:pk>/checklist/", checklist.ChecklistView.as_view(), name="checklist"),
    path("<int:pk>/checklist/copy/", checklist.ChecklistCopyView.as_view(), name="checklist_copy"),
    path("<int:pk>/checklist/add/", checklist.ChecklistItemAddView.as_view(), name="item_add"),
    path("<int:pk>/findings/add/", checklist.FindingCreateView.as_view(), name="finding_add"),
    path(
        "checklist/<int:pk>/edit/", checklist.ChecklistItemUpdateView.as_view(), name="item_update"
    ),
    path(
        "checklist/<int:pk>/delete/",
        checklist.ChecklistItemDeleteView.as_view(),
        name="item_delete",
    ),
    path("checklist/<int:pk>/answer/", checklist.AnswerView.as_view(), name="answer"),
    path("files/<int:pk>/", checklist.ChecklistFileView.as_view(), name="file"),
    path("programmes/", programmes.ProgrammeListView.as_view(), name="programmes"),
    path("programmes/new/", programmes.ProgrammeCreateView.as_view(), name="programme_create"),
    path("programmes/<int:pk>/", programmes.ProgrammeDetailView.as_view(), name="programme"),
    path(
        "programmes/<int:pk>/edit/",
        programmes.ProgrammeUpdateView.as_view(),
        name="programme_update",
    ),
    path(
        "programmes/<int:pk>/lines/add/",
        programmes.ProgrammeItemAddView.as_view(),
        name="programme_item_add",
    ),
    path(
        "programmes/lines/<int:pk>/edit/",
        programmes.ProgrammeItemUpdateView.as_view(),
        name="programme_item_update",
    ),
    path(
        "programmes/lines/<int:pk>/delete/",
        programmes.ProgrammeItemDeleteView.as_view(),
        name="programme_item_delete",
    ),
    path(
        "programmes/<int:pk>/approve/",
        programmes.ProgrammeApproveView.as_view(),
        name="programme_approve",
    ),
    path(
        "programmes/<int:pk>/revise/",
        programmes.ProgrammeReviseView.as_view(),
        name="programme_revise",
    ),
    path("bank/", bank.QuestionBankView.as_view(), name="bank"),
    path("bank/new/", bank.QuestionCreateView.as_view(), name="question_create"),
    path("bank/<int:pk>/edit/", bank.QuestionUpdateView.as_view(), name="question_update"),
]
