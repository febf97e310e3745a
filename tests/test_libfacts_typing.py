"""Library facts (issue 14): receivers typed along quickstart chains and calls reached through the
libraries' own plumbing (session 8, ``bench/libprobe``).  Each test writes a small fake environment and a
project whose lines carry their expected codes (``# error: FAK102``); lines without one stay silent: every
mechanism has a look-alike that must not block."""
from pathlib import Path

from test_fixtures import expected_for
from test_libfacts import _fresh_facts, check, got_lines, make_env, make_project  # noqa: F401 (autouse fixture)


def _run(tmp_path: Path, libs: dict, project: str):
    env = make_env(tmp_path, libs=libs)
    proj = make_project(tmp_path, project)
    code, out, err = check(proj, "--no-cache", "--python", str(env))
    assert code in (0, 1), err
    return got_lines(out), expected_for(proj / "main.py")


CALLABLE_ARGS = {
    "cbsdk/__init__.py": """
        from cbsdk.core import Api, Client
    """,
    "cbsdk/core.py": """
        from typing import Callable

        import requests

        Handler = Callable[..., object]

        class Transport:
            def send(self, method, url):
                return method(url)

            def remember(self, method, url):
                self.method = method  # kept for later, never called here
                return url

        class Client:
            def __init__(self):
                self.transport = Transport()

            def fetch(self, url):
                return self.transport.send(requests.get, url)

            def fetch_kw(self, url):
                return self.transport.send(url=url, method=requests.get)

            def label(self, url):
                return self.transport.remember(requests.get, url)

            def build(self, data):
                # a class handed to a factory: built from data (PyGithub's `_makeListOfClassesAttribute`),
                # not followed
                return self.transport.send(Record, data)

        class Record:
            def __init__(self, data):
                self.data = data
                if data.get("url"):
                    self.body = requests.get(data["url"]).text

        class Middleware:
            def __call__(self, request, call_next):
                return call_next(request)

        class Api:
            def __init__(self):
                self.session = requests.Session()
                # the annotation (a Callable alias) names no class: the value's type is kept
                self.middleware: Handler = Middleware()
                self.hooks = []

            def _send(self, request):
                return self.session.send(request)

            def send(self, request):
                return self.middleware(request, self._send)

            def register(self, request):
                self.hooks.append(self._send)  # registration of a callback: not a call
                return request
    """,
}

CALLABLE_ARGS_PROJECT = """
import cbsdk

client = cbsdk.Client()
api = cbsdk.Api()


async def main(url):
    client.fetch(url)  # error: FAK102
    client.fetch_kw(url)  # error: FAK102
    client.label(url)
    client.build({"a": 1})
    api.send(url)  # error: FAK102
    api.register(url)
"""


def test_callables_handed_to_a_function_that_calls_them(tmp_path):
    got, want = _run(tmp_path, CALLABLE_ARGS, CALLABLE_ARGS_PROJECT)
    assert got == want


GENERICS = {
    "gensdk/__init__.py": """
        from gensdk.api import AsyncAPI, SyncAPI
        from gensdk.client import Client
        from gensdk.models import AsyncCollection, Collection, Leaf, Plain
    """,
    "gensdk/api.py": """
        import requests

        class SyncAPI:
            def _query(self, name):
                return requests.post("https://db.example.com/query", json={"c": name}).json()

        class AsyncAPI:
            async def _query(self, name):
                return {"c": name}
    """,
    "gensdk/common.py": """
        from typing import TYPE_CHECKING, Generic, TypeVar

        if TYPE_CHECKING:
            from gensdk.api import AsyncAPI, SyncAPI

        ClientT = TypeVar("ClientT", "SyncAPI", "AsyncAPI")

        class CollectionCommon(Generic[ClientT]):
            _client: ClientT

            def __init__(self, client: ClientT, name: str):
                self._client = client
                self.name = name

        class Mid(CollectionCommon[ClientT]):  # passes its parameter on
            pass
    """,
    "gensdk/models.py": """
        from typing import TYPE_CHECKING

        from gensdk.common import CollectionCommon, Mid

        if TYPE_CHECKING:
            from gensdk.api import AsyncAPI, SyncAPI

        class Collection(CollectionCommon["SyncAPI"]):
            def query(self, q):
                return self._client._query(self.name)

            def describe(self):
                return self.name

        class AsyncCollection(CollectionCommon["AsyncAPI"]):
            def query(self, q):
                return self._client._query(self.name)  # a coroutine: awaited by the caller

        class Leaf(Mid["SyncAPI"]):
            def fetch(self):
                return self._client._query(self.name)

        class Plain(CollectionCommon):  # no type argument: nothing known about its client
            def query(self, q):
                return self._client._query(self.name)
    """,
    "gensdk/client.py": """
        from gensdk.api import SyncAPI
        from gensdk.models import Collection

        class Client:
            def __init__(self):
                self.api = SyncAPI()

            def get_collection(self, name) -> Collection:
                return Collection(self.api, name)
    """,
}

GENERICS_PROJECT = """
import gensdk

client = gensdk.Client()


async def main(api, aapi):
    col = client.get_collection("c")
    col.query("x")  # error: FAK102
    col.describe()
    await gensdk.AsyncCollection(aapi, "c").query("x")
    gensdk.Leaf(api, "c").fetch()  # error: FAK102
    gensdk.Plain(api, "c").query("x")
"""


def test_generic_base_gives_its_attribute_the_subclass_type_argument(tmp_path):
    got, want = _run(tmp_path, GENERICS, GENERICS_PROJECT)
    assert got == want


TRANSPORT = {
    "txsdk/__init__.py": """
        from txsdk.client import Index
    """,
    "txsdk/client.py": """
        import httpx

        class HTTPClient:
            def __init__(self):
                self._client = httpx.Client(base_url="https://api.example.com")

            def post(self, path, body):
                # the hot path skips `Client.send`: straight to the client's transport
                request = self._client.build_request("POST", path, json=body)
                return self._client._transport.handle_request(request)

            def prepare(self, path, body):
                return self._client.build_request("POST", path, json=body)

        class Index:
            def __init__(self):
                self._http = HTTPClient()

            def query(self, vector):
                return self._http.post("/query", {"vector": vector})

            def request_for(self, vector):
                return self._http.prepare("/query", {"vector": vector})
    """,
}

TRANSPORT_PROJECT = """
import txsdk

index = txsdk.Index()


async def main(vector):
    index.query(vector)  # error: FAK102
    index.request_for(vector)
"""


def test_a_client_sending_through_its_httpx_transport(tmp_path):
    got, want = _run(tmp_path, TRANSPORT, TRANSPORT_PROJECT)
    assert got == want


MIXIN = {
    "mixsdk/__init__.py": """
        from mixsdk.transport import Client, Mirror
    """,
    "mixsdk/base.py": """
        from abc import ABCMeta, abstractmethod

        class RoutesBase(object):
            __metaclass__ = ABCMeta

            @abstractmethod
            def request(self, route, arg):
                pass

            def files_upload(self, data, path):
                return self.request("files/upload", {"path": path, "data": data})

            def route_url(self, route):
                return "https://api.example.com/2/" + route
    """,
    "mixsdk/transport.py": """
        import requests

        from mixsdk.base import RoutesBase

        class _Transport:
            def __init__(self):
                self._session = requests.Session()

            def request(self, route, arg):
                return self._session.post("https://api.example.com/2/" + route, json=arg).json()

        class _Echo:
            def request(self, route, arg):
                return {"route": route}

        # the routes come from one base, the transport that implements their abstract `request` from another
        class Client(_Transport, RoutesBase):
            pass

        class Mirror(RoutesBase):
            def local(self, route):
                return self.route_url(route)
    """,
}

MIXIN_PROJECT = """
import mixsdk

client = mixsdk.Client()
mirror = mixsdk.Mirror()


async def main(data):
    client.files_upload(data, "/x.txt")  # error: FAK102
    client.route_url("files/upload")
    mirror.local("files/upload")
"""


def test_a_mixin_implements_a_sibling_base_abstract_method(tmp_path):
    got, want = _run(tmp_path, MIXIN, MIXIN_PROJECT)
    assert got == want


REASSIGNED = {
    "spotsdk/__init__.py": """
        from spotsdk.client import Spotify
    """,
    "spotsdk/client.py": """
        import json

        import requests

        class Codec:
            def dumps(self, obj):
                return json.dumps(obj)

        class Spotify:
            def __init__(self, requests_session=True, compact=False):
                if isinstance(requests_session, requests.Session):
                    self._session = requests_session
                elif requests_session:
                    self._build_session()
                else:
                    self._session = requests.api  # the module-level functions
                self._codec = json if compact else Codec()

            def _build_session(self):
                self._session = requests.Session()

            def search(self, q):
                return self._session.request("GET", "https://api.example.com/search", params={"q": q}).json()

            def encode(self, obj):
                return self._codec.dumps(obj)
    """,
}

REASSIGNED_PROJECT = """
import spotsdk

sp = spotsdk.Spotify()


async def main(q):
    sp.search(q)  # error: FAK102
    sp.encode({"q": q})
"""


def test_an_attribute_assigned_in_several_places_takes_the_type_that_resolves(tmp_path):
    got, want = _run(tmp_path, REASSIGNED, REASSIGNED_PROJECT)
    assert got == want


NAMESPACES = {
    "nssdk/__init__.py": """
        from nssdk.client import Client
    """,
    "nssdk/endpoints.py": """
        from typing import TYPE_CHECKING

        if TYPE_CHECKING:
            from nssdk.client import BaseClient

        class PagesEndpoint:
            def __init__(self, parent: "BaseClient"):
                self.parent = parent

            def retrieve(self, page_id):
                return self.parent.request(f"/pages/{page_id}")

            def path(self, page_id):
                return f"/pages/{page_id}"
    """,
    "nssdk/client.py": """
        import requests

        from nssdk.endpoints import PagesEndpoint

        class Options:
            def describe(self):
                return "options"

        class BaseClient:
            def __init__(self):
                self.session = requests.Session()
                # namespaces made in __init__ (`notion.pages.retrieve(...)`)
                self.pages = PagesEndpoint(self)
                self.options = Options()

            def request(self, path):
                return self.session.get("https://api.example.com" + path).json()

        class Client(BaseClient):
            def close(self):
                self.session.close()
    """,
}

NAMESPACES_PROJECT = """
import nssdk

notion = nssdk.Client()


async def main(pid):
    notion.pages.retrieve(pid)  # error: FAK102
    notion.pages.path(pid)
    notion.options.describe()
"""


def test_namespaces_made_in_init_from_constructor_calls(tmp_path):
    got, want = _run(tmp_path, NAMESPACES, NAMESPACES_PROJECT)
    assert got == want


CLASS_PARAMS = {
    "tpsdk/__init__.py": """
        from tpsdk.client import OpenSearch
    """,
    "tpsdk/transport.py": """
        from typing import Any

        import requests

        class Connection:
            def __init__(self):
                self.session = requests.Session()

            def perform_request(self, method, url):
                return self.session.request(method, "https://search.example.com" + url).json()

        class Transport:
            def __init__(self, hosts, connection_class=Connection):
                self.connection = connection_class()  # the default class, unless a caller gives another
                self.hosts = hosts

            def get_connection(self) -> Any:  # says nothing: what it returns does
                return self.connection

            def perform_request(self, method, url):
                return self.get_connection().perform_request(method, url)

            def host_list(self):
                return list(self.hosts or [])
    """,
    "tpsdk/client.py": """
        from typing import Type

        from tpsdk.transport import Transport

        class OpenSearch:
            def __init__(self, hosts=None, transport_class: Type[Transport] = Transport):
                self.transport = transport_class(hosts)

            def index(self, index, body):
                return self.transport.perform_request("PUT", f"/{index}/_doc")

            def hosts(self):
                return self.transport.host_list()
    """,
}

CLASS_PARAMS_PROJECT = """
import tpsdk

client = tpsdk.OpenSearch(hosts=["localhost"])


async def main(doc):
    client.index("movies", doc)  # error: FAK102
    client.hosts()
"""


def test_class_parameters_and_any_returns(tmp_path):
    got, want = _run(tmp_path, CLASS_PARAMS, CLASS_PARAMS_PROJECT)
    assert got == want


STAR = {
    "starsdk/__init__.py": """
        from .client import *
        from .util import *
    """,
    "starsdk/client.py": """
        import requests

        class Spotify:
            def search(self, q):
                return requests.get("https://api.example.com/search", params={"q": q}).json()

            def url(self, q):
                return f"https://api.example.com/search?q={q}"
    """,
    "starsdk/util.py": """
        def normalise(q):
            return q.strip().lower()

        def fetch_token(user):
            import requests
            return requests.post("https://accounts.example.com/token", data={"u": user}).json()
    """,
}

STAR_PROJECT = """
import starsdk

sp = starsdk.Spotify()


async def main(q):
    sp.search(q)  # error: FAK102
    sp.url(q)
    starsdk.normalise(q)
    starsdk.fetch_token("me")  # error: FAK102
"""


def test_star_reexports_are_public_spellings(tmp_path):
    got, want = _run(tmp_path, STAR, STAR_PROJECT)
    assert got == want


PROTOCOL = {
    "protosdk/__init__.py": """
        from protosdk.driver import create_client

        get_client = create_client  # another public name for the factory
    """,
    "protosdk/contracts.py": """
        from typing import Protocol

        class Backend(Protocol):
            def execute(self, sql: str) -> dict: ...

            def close(self) -> None: ...
    """,
    "protosdk/backends.py": """
        import requests

        class HttpBackend:  # implements Backend without naming it
            def __init__(self):
                self.session = requests.Session()

            def execute(self, sql):
                return self.session.post("https://db.example.com/", data=sql).json()

            def close(self):
                self.session.close()

        class Echo:  # has `execute` but not `close`: not a Backend
            def execute(self, sql):
                return {"sql": sql}
    """,
    "protosdk/driver.py": """
        from protosdk.backends import HttpBackend
        from protosdk.contracts import Backend

        class Client:
            def __init__(self, backend: Backend):
                self._backend = backend

            def query(self, sql):
                return self._backend.execute(sql)

            def quote(self, sql):
                return "'" + sql.replace("'", "''") + "'"

        def create_client() -> Client:
            return Client(HttpBackend())
    """,
}

PROTOCOL_PROJECT = """
import protosdk

client = protosdk.get_client()


async def main(sql):
    client.query(sql)  # error: FAK102
    client.quote(sql)
"""


def test_protocol_implemented_structurally_and_a_factory_alias(tmp_path):
    got, want = _run(tmp_path, PROTOCOL, PROTOCOL_PROJECT)
    assert got == want


CALLABLE_HELPER = {
    "callsdk/__init__.py": """
        from callsdk.reddit import Reddit
    """,
    "callsdk/reddit.py": """
        import requests

        class Subreddit:
            def __init__(self, reddit: "Reddit", name: str):
                self._reddit = reddit
                self.name = name

            def submit(self, title):
                return self._reddit.post(f"/r/{self.name}/submit", {"title": title})

            def url(self):
                return f"/r/{self.name}"

        class SubredditHelper:
            def __init__(self, reddit: "Reddit"):
                self._reddit = reddit

            def __call__(self, display_name: str) -> Subreddit:
                return Subreddit(self._reddit, display_name)

        class Reddit:
            def __init__(self):
                self.session = requests.Session()
                self.subreddit = SubredditHelper(self)  # called like a method: `reddit.subreddit("python")`

            def post(self, path, data):
                return self.session.post("https://oauth.example.com" + path, data=data).json()
    """,
}

CALLABLE_HELPER_PROJECT = """
import callsdk

reddit = callsdk.Reddit()


async def main(title):
    reddit.subreddit("python").submit(title)  # error: FAK102
    reddit.subreddit("python").url()
"""


def test_calling_a_helper_instance_gives_what_its_call_returns(tmp_path):
    got, want = _run(tmp_path, CALLABLE_HELPER, CALLABLE_HELPER_PROJECT)
    assert got == want


GENERIC_METHODS = {
    "gmsdk/__init__.py": """
        from gmsdk.client import Gitlab
    """,
    "gmsdk/base.py": """
        from typing import TYPE_CHECKING, Generic, TypeVar

        if TYPE_CHECKING:
            from gmsdk.client import Gitlab

        class RESTObject:
            def __init__(self, manager, attrs):
                self.manager = manager
                self.attrs = attrs

        TObjCls = TypeVar("TObjCls", bound=RESTObject)

        class RESTManager(Generic[TObjCls]):
            _path = ""
            _obj_cls = RESTObject

            def __init__(self, gl: "Gitlab"):
                self.gl = gl
    """,
    "gmsdk/mixins.py": """
        from gmsdk import base

        class GetMixin(base.RESTManager[base.TObjCls]):
            def get(self, id) -> base.TObjCls:
                return self._obj_cls(self, self.gl.http_get(f"{self._path}/{id}"))
    """,
    "gmsdk/client.py": """
        import requests

        from gmsdk.base import RESTManager, RESTObject
        from gmsdk.mixins import GetMixin

        class IssueManager(RESTManager):
            def list(self):
                return self.gl.http_get("/issues")

        class Project(RESTObject):
            issues: IssueManager

            def web_url(self):
                return self.attrs["web_url"]

        class ProjectManager(GetMixin[Project]):
            _path = "/projects"
            _obj_cls = Project

        class Gitlab:
            def __init__(self):
                self.session = requests.Session()
                self.projects = ProjectManager(self)

            def http_get(self, path):
                return self.session.get("https://gitlab.example.com/api/v4" + path).json()
    """,
}

GENERIC_METHODS_PROJECT = """
import gmsdk

gl = gmsdk.Gitlab()


async def main(pid):
    project = gl.projects.get(pid)  # error: FAK102
    project.issues.list()  # error: FAK102
    project.web_url()
"""


def test_a_generic_method_returns_the_type_its_class_gives_it(tmp_path):
    got, want = _run(tmp_path, GENERIC_METHODS, GENERIC_METHODS_PROJECT)
    assert got == want


MANY_STARS = {
    "manysdk/__init__.py": """
        from manysdk.client import Gitlab
    """,
    "manysdk/objects/__init__.py": "".join(f"from .m{i:02d} import *\n" for i in range(24)),
    "manysdk/objects/m00.py": """
        from typing import TYPE_CHECKING

        if TYPE_CHECKING:
            from manysdk.client import Gitlab

        class ProjectManager:
            def __init__(self, gl: "Gitlab"):
                self.gl = gl

            def list(self):
                return self.gl.http_get("/projects")

            def path(self):
                return "/projects"
    """,
    **{f"manysdk/objects/m{i:02d}.py": f"class Thing{i:02d}:\n    pass\n" for i in range(1, 24)},
    "manysdk/client.py": """
        import requests

        from manysdk import objects

        class Gitlab:
            def __init__(self):
                self.session = requests.Session()
                self.projects = objects.ProjectManager(self)  # re-exported through ~24 star imports

            def http_get(self, path):
                return self.session.get("https://gitlab.example.com/api/v4" + path).json()
    """,
}

MANY_STARS_PROJECT = """
import manysdk

gl = manysdk.Gitlab()


async def main():
    gl.projects.list()  # error: FAK102
    gl.projects.path()
"""


def test_a_name_reexported_through_many_star_imports(tmp_path):
    got, want = _run(tmp_path, MANY_STARS, MANY_STARS_PROJECT)
    assert got == want


NONBLOCKING_MODULE = {
    "mqttlike/__init__.py": """
        from mqttlike.client import Client
    """,
    "mqttlike/client.py": """
        import socket

        class Client:
            def __init__(self):
                self._sock = None

            def connect(self, host, port=1883):
                self._sock = socket.create_connection((host, port), timeout=5)  # DNS + TCP handshake
                self._sock.setblocking(False)

            def publish(self, topic, payload):
                # the socket is non-blocking: sends what it takes at once, the loop thread sends the rest
                self._sock.send(topic.encode() + b" " + payload)
    """,
}

NONBLOCKING_MODULE_PROJECT = """
import mqttlike

client = mqttlike.Client()


async def main():
    client.connect("broker.example.com")  # error: FAK106
    client.publish("t", b"x")
"""


def test_opening_a_connection_blocks_in_a_module_that_sends_without_blocking(tmp_path):
    got, want = _run(tmp_path, NONBLOCKING_MODULE, NONBLOCKING_MODULE_PROJECT)
    assert got == want


SUBSCRIPT = {
    "subsdk/__init__.py": """
        from subsdk.client import Client
    """,
    "subsdk/client.py": """
        from typing import Generic, TypeVar

        import requests

        TDoc = TypeVar("TDoc")

        class Documents:
            def __init__(self, name):
                self.session = requests.Session()
                self.name = name

            def search(self, params):
                url = f"https://ts.example.com/collections/{self.name}/documents/search"
                return self.session.get(url, params=params).json()

            def url(self):
                return f"/collections/{self.name}/documents"

        class Collection(Generic[TDoc]):  # named like typing.Collection: a class of its own
            def __init__(self, name):
                self.documents = Documents(name)

        class Collections(Generic[TDoc]):
            def __getitem__(self, name: str) -> Collection[TDoc]:
                return Collection(name)

        class Client:
            def __init__(self):
                self.collections = Collections()
    """,
}

SUBSCRIPT_PROJECT = """
import subsdk

client = subsdk.Client()


async def main(q):
    client.collections["books"].documents.search({"q": q})  # error: FAK102
    client.collections["books"].documents.url()
"""


def test_subscript_gives_what_getitem_returns_and_a_generic_class_annotation_is_its_instance(tmp_path):
    got, want = _run(tmp_path, SUBSCRIPT, SUBSCRIPT_PROJECT)
    assert got == want


OPT_IN = {
    "signsdk/__init__.py": """
        from signsdk.signing import generate_signed_url, upload
    """,
    "signsdk/signing.py": """
        import hashlib
        import hmac

        import requests

        def _sign_remote(message, access_token, email):
            return requests.post(f"https://iam.example.com/{email}:signBlob", json={"payload": message},
                                 headers={"Authorization": "Bearer " + access_token}).json()["signedBlob"]

        def generate_signed_url(resource, key=b"k", access_token=None, service_account_email=None):
            if access_token and service_account_email:  # a mode the caller opts into
                signature = _sign_remote(resource, access_token, service_account_email)
            else:
                signature = hmac.new(key, resource.encode(), hashlib.sha256).hexdigest()
            return f"https://storage.example.com/{resource}?sig={signature}"

        def upload(resource, data, timeout=None):
            if timeout:
                return requests.put(f"https://storage.example.com/{resource}", data=data, timeout=timeout)
            return requests.put(f"https://storage.example.com/{resource}", data=data)
    """,
}

OPT_IN_PROJECT = """
import signsdk


async def main(data):
    signsdk.generate_signed_url("b/o")
    signsdk.upload("b/o", data)  # error: FAK102
"""


def test_a_branch_opted_into_by_optional_arguments_is_not_the_call_own_io(tmp_path):
    got, want = _run(tmp_path, OPT_IN, OPT_IN_PROJECT)
    assert got == want


MAPPED = {
    "mapsdk/__init__.py": """
        from mapsdk.client import WriteApi
    """,
    "mapsdk/client.py": """
        import requests

        class WriteApi:
            def __init__(self):
                self.session = requests.Session()

            def write(self, batches):
                def write_payload(payload):
                    return self.session.post("https://influx.example.com/api/v2/write", data=payload)

                return list(map(write_payload, batches))  # the builtin calls it for each item

            def encode(self, batches):
                def line(payload):
                    return ",".join(payload)

                return list(map(line, batches))
    """,
}

MAPPED_PROJECT = """
import mapsdk

api = mapsdk.WriteApi()


async def main(batches):
    api.write(batches)  # error: FAK102
    api.encode(batches)
"""


def test_a_function_mapped_over_items_is_called(tmp_path):
    got, want = _run(tmp_path, MAPPED, MAPPED_PROJECT)
    assert got == want


DOCKERISH = {
    "dksdk/__init__.py": """
        from dksdk.client import DockerClient, from_env
    """,
    "dksdk/api.py": """
        import requests

        class ContainerApiMixin:
            def create_container(self, image):
                return self.create_container_from_config({"Image": image})

            def create_container_from_config(self, config):
                return self._post_json("/containers/create", config)

            def container_label(self, name):
                return "container " + name

        class APIClient(requests.Session, ContainerApiMixin):
            def _post_json(self, url, data):
                return self.post("http://docker" + url, json=data).json()
    """,
    "dksdk/resource.py": """
        class Collection:
            model = None

            def __init__(self, client=None):
                self.client = client
    """,
    "dksdk/containers.py": """
        from dksdk.resource import Collection

        class ContainerCollection(Collection):
            def run(self, image):
                return self.client.api.create_container(image)

            def label(self, name):
                return self.client.api.container_label(name)
    """,
    "dksdk/client.py": """
        from dksdk.api import APIClient
        from dksdk.containers import ContainerCollection

        class DockerClient:
            def __init__(self):
                self.api = APIClient()

            @property
            def containers(self):
                return ContainerCollection(client=self)

        def from_env():
            return DockerClient()
    """,
}

DOCKERISH_PROJECT = """
import dksdk

client = dksdk.from_env()


async def main(image):
    client.containers.run(image)  # error: FAK102
    client.api.create_container(image)  # error: FAK102
    client.containers.label(image)
    client.api.container_label(image)
"""


def test_mixin_methods_block_through_their_host_and_a_base_constructor_through_subclass_calls(tmp_path):
    # docker's shape: `APIClient(requests.Session, ContainerApiMixin)` (a mixin member is the mixin's, not a
    # `requests.Session` request; it blocks through the host's `_post_json`), and `ContainerCollection(client=self)`
    # constructed under the subclass's name gives `Collection.__init__` its client
    got, want = _run(tmp_path, DOCKERISH, DOCKERISH_PROJECT)
    assert got == want
