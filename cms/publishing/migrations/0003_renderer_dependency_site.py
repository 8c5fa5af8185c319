import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('mortar_publishing', '0002_renderer_dependencies'),
        ('wagtailcore', '0098_apitoken'),
    ]

    operations = [
        # The renderer's tags are qualified by site from this release on, and its cache is
        # keyed by build: no entry recorded before it can be revalidated again. Emptied,
        # so no row needs a default Site.
        migrations.RunSQL("DELETE FROM mortar_publishing_rendererdependency",
                          reverse_sql=migrations.RunSQL.noop),
        migrations.RemoveConstraint(
            model_name='rendererdependency',
            name='mortar_renderer_dependency_unique',
        ),
        migrations.AddField(
            model_name='rendererdependency',
            name='site',
            field=models.ForeignKey(default=1, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='wagtailcore.site'),
            preserve_default=False,
        ),
        migrations.AddConstraint(
            model_name='rendererdependency',
            constraint=models.UniqueConstraint(fields=('site', 'name', 'tag'), name='mortar_renderer_dependency_unique'),
        ),
    ]
