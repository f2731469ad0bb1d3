from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0007_patientprofile_pace'),
    ]

    operations = [
        migrations.AddField(
            model_name='patientprofile',
            name='camera_waits_for_position',
            field=models.BooleanField(default=True, verbose_name='Start each hold when the camera sees the patient in position'),
        ),
    ]
