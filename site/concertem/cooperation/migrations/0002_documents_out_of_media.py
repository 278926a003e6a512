"""Move Wagtail documents (cooperation documents among them) out of MEDIA_ROOT.

From now on the default storage keeps `documents/` in the private root (concertem.config.storage);
files uploaded before live in MEDIA_ROOT/documents and would be both unreachable for the
views and still public under /media/. Moving them is idempotent; nothing to undo.
"""

from django.conf import settings
from django.db import migrations


def documents_move(apps, schema_editor):
    from concertem.common.private_files import media_documents_move, private_root

    media_documents_move(settings.MEDIA_ROOT, private_root())


class Migration(migrations.Migration):
    dependencies = [("cooperation", "0001_initial")]

    operations = [migrations.RunPython(documents_move, migrations.RunPython.noop)]
