"""Background tasks: thin, by id, repeatable (django-tasks)."""

from django_tasks import task

from sitrep.places.services import places_suggest


@task()
def suggest_places(post_id: int) -> dict:
    links = places_suggest(post_id=post_id)
    return {"post": post_id, "places": [link.place_id for link in links]}
