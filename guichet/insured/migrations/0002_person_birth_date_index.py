from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("insured", "0001_initial")]

    operations = [
        migrations.AddIndex(
            model_name="insuredperson",
            index=models.Index(fields=["fund", "birth_date"], name="insured_fund_birth_date"),
        ),
    ]
