"""The media library on an S3-compatible store: moto's S3 server on loopback, spoken to by
django-storages and boto3 exactly as a real store would be."""

import json
import socket
import urllib.request

import boto3
import pytest
from django.conf import settings
from django.core.files.storage import default_storage
from django.test import override_settings

from sitrep.config.env import ConfigError, parse_media_storage
from sitrep.media.html import picture
from sitrep.media.services import media_sizes, media_store
from tests import images

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def s3(tmp_path_factory):
    from moto.server import ThreadedMotoServer

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


@pytest.fixture
def bucket(s3, monkeypatch):
    for name, value in [("AWS_ACCESS_KEY_ID", "test"), ("AWS_SECRET_ACCESS_KEY", "test"),
                        ("AWS_DEFAULT_REGION", "us-east-1")]:  # fmt: skip
        monkeypatch.setenv(name, value)
    client = boto3.client("s3", endpoint_url=s3, region_name="us-east-1")
    client.create_bucket(Bucket="sitrep-media")
    # Readers' browsers fetch the files unsigned: the operator makes the bucket readable.
    policy = {"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
        "Resource": "arn:aws:s3:::sitrep-media/*"}]}  # fmt: skip
    client.put_bucket_policy(Bucket="sitrep-media", Policy=json.dumps(policy))
    storage = parse_media_storage(f"s3://sitrep-media/site?endpoint_url={s3}&region_name=us-east-1")
    with override_settings(STORAGES={**settings.STORAGES, "default": storage}):
        yield client


def test_images_are_kept_in_the_bucket_and_served_from_it(bucket):
    stored = media_store(content=images.picture("PNG"), original_url="https://old.example/a.png")
    keys = [o["Key"] for o in bucket.list_objects_v2(Bucket="sitrep-media")["Contents"]]
    assert keys == [f"site/{stored.file.name}"]
    head = bucket.head_object(Bucket="sitrep-media", Key=keys[0])
    assert "immutable" in head["CacheControl"]
    assert stored.url.startswith(bucket.meta.endpoint_url + "/sitrep-media/site/")
    with urllib.request.urlopen(stored.url, timeout=10) as response:  # a reader's browser
        assert images.pixels(response.read()) == images.pixels(images.picture("PNG"))
    assert default_storage.exists(stored.file.name)
    # The same bytes again are the same file: nothing new in the bucket.
    assert media_store(content=images.picture("PNG")) == stored
    # The worker's sizes go to the bucket too, and the page points readers there.
    sizes = media_sizes(media=stored)
    avif = bucket.head_object(Bucket="sitrep-media", Key=f"site/{sizes['avif'][0][2]}")
    assert avif["ContentType"] == "image/avif" and "immutable" in avif["CacheControl"]
    assert f"{bucket.meta.endpoint_url}/sitrep-media/site/{sizes['avif'][0][2]} 64w" in picture(
        stored
    )


def test_a_storage_setting_sitrep_cannot_use_is_one_clear_message():
    for value, reason in [("ftp://host/x", "is not empty or s3://bucket/folder"),
                          ("s3://media?colour=red", "unknown option 'colour'")]:  # fmt: skip
        with pytest.raises(ConfigError, match=reason):
            parse_media_storage(value)
    assert parse_media_storage("")["BACKEND"].endswith("FileSystemStorage")
