"""Post an admin change form the way a browser would: with the values it shows."""

from django.urls import reverse


def form_values(response):
    """The data a browser would send back for the admin form in ``response``."""
    data = {}
    form = response.context["adminform"].form
    for name in form.fields:
        value = form[name].value()
        if value is None:
            continue
        if isinstance(value, list | tuple):
            data[name] = [str(item) for item in value]
        elif isinstance(value, bool):
            if value:
                data[name] = "on"
        else:
            data[name] = str(value)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        for name in formset.management_form.fields:
            data[f"{formset.prefix}-{name}"] = formset.management_form[name].value()
        for subform in formset.forms:
            for name in subform.fields:
                value = subform[name].value()
                if value is not None:
                    data[subform.add_prefix(name)] = str(value)
    return data


def change_url(article, language):
    return reverse("admin:articles_article_change", args=[article.pk]) + f"?language={language}"


def open_change_form(client, article, language):
    response = client.get(change_url(article, language))
    assert response.status_code == 200, response.status_code
    return form_values(response)


def save_change_form(client, article, language, **changes):
    data = open_change_form(client, article, language)
    data.update(changes)
    return client.post(change_url(article, language), data)
