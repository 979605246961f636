"""jekyll-github-metadata 2.15, offline: `site.github` and the `site.title`/`url` fallbacks.

The repository (`owner/name`) comes, as in the gem, from `$PAGES_REPO_NWO`, then
`repository:` in `_config.yml`, then (in development/test) the `origin` git remote of the
source folder; pykyll adds `$GITHUB_REPOSITORY` (GitHub Actions) as a last resort. URLs and
hostnames come from the gem's environment variables (`PAGES_ENV`, `PAGES_GITHUB_HOSTNAME`,
`PAGES_PAGES_HOSTNAME`, `SSL`, …). pykyll never calls the GitHub API: every value the gem
fetches from it is what the gem produces when it has no connection (nil, false or empty),
so the output is the gem's offline output.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
from collections.abc import Callable, Mapping
from functools import cached_property
from typing import TYPE_CHECKING, Any, TextIO
from urllib.parse import urljoin, urlsplit

from liquid.ast import Node
from liquid.tag import Tag

from pykyll.config import deep_merge
from pykyll.drops import Drop
from pykyll.errors import ConfigError
from pykyll.liquid.tags import MarkupNode, markup_of
from pykyll.plugins import Plugin
from pykyll.plugins.builtin._ghpages_support import site_of

if TYPE_CHECKING:
    from liquid.context import RenderContext
    from liquid.stream import TokenStream

    from pykyll.site import Site

DEFAULTS: dict[str, str | None] = {
    "PAGES_ENV": "development",
    "PAGES_API_URL": "https://api.github.com",
    "PAGES_HELP_URL": "https://help.github.com",
    "PAGES_GITHUB_HOSTNAME": "github.com",
    "PAGES_PAGES_HOSTNAME": "github.io",
    "SSL": "false",
    "SUBDOMAIN_ISOLATION": "false",
}
OWNER_KEYS = [
    "avatar_url",
    "bio",
    "blog",
    "collaborators",
    "company",
    "created_at",
    "description",
    "email",
    "followers",
    "following",
    "has_organization_projects",
    "has_repository_projects",
    "hireable",
    "html_url",
    "id",
    "is_verified",
    "location",
    "login",
    "name",
    "node_id",
    "public_gists",
    "public_repos",
    "type",
    "updated_at",
]
NO_REPOSITORY = (
    "No repo name found. Specify using PAGES_REPO_NWO environment variables, 'repository' "
    "in your configuration, or set up an 'origin' git remote pointing to your github.com "
    "repository."
)


def _env(key: str, fallback: str | None = None) -> str | None:
    value = os.environ.get(key, "")
    return value if value else (fallback or DEFAULTS.get(key))


def _trim(url: str | None) -> str:
    url = url or ""
    return url[:-1] if url.endswith("/") else url


class Pages:
    """`Jekyll::GitHubMetadata::Pages`: the GitHub instance, from environment variables."""

    @staticmethod
    def env() -> str:
        return _env("PAGES_ENV", os.environ.get("JEKYLL_ENV")) or "development"

    @classmethod
    def is_test(cls) -> bool:
        return cls.env() == "test"

    @classmethod
    def is_dotcom(cls) -> bool:
        return cls.env() == "dotcom"

    @classmethod
    def is_enterprise(cls) -> bool:
        return cls.env() == "enterprise"

    @classmethod
    def ssl(cls) -> bool:
        return _env("SSL") == "true" or cls.is_test()

    @classmethod
    def scheme(cls) -> str:
        return "https" if cls.ssl() else "http"

    @staticmethod
    def subdomain_isolation() -> bool:
        return _env("SUBDOMAIN_ISOLATION") == "true"

    @classmethod
    def custom_domains_enabled(cls) -> bool:
        return cls.is_dotcom() or cls.is_test()

    @staticmethod
    def github_hostname() -> str:
        return _trim(_env("PAGES_GITHUB_HOSTNAME", os.environ.get("GITHUB_HOSTNAME")))

    @classmethod
    def github_url(cls) -> str:
        if cls.is_dotcom() or cls.github_hostname() == "github.com":
            return "https://github.com"
        return f"{cls.scheme()}://{cls.github_hostname()}"

    @staticmethod
    def api_url() -> str:
        return _trim(_env("PAGES_API_URL", os.environ.get("API_URL")))

    @staticmethod
    def help_url() -> str:
        return _trim(_env("PAGES_HELP_URL", os.environ.get("HELP_URL")))

    @classmethod
    def pages_hostname(cls) -> str:
        default = os.environ.get("PAGES_HOSTNAME") or (
            "localhost:4000" if cls.env() == "development" else None
        )
        return _trim(_env("PAGES_PAGES_HOSTNAME", default))

    @staticmethod
    def page_build() -> bool:
        return bool(os.environ.get("PAGE_BUILD_ID"))


class Repository:
    """`Repository` + `RepositoryCompat` with the API answering nothing (offline)."""

    def __init__(self, nwo: str) -> None:
        self.nwo = nwo
        self.owner = nwo.split("/")[0]
        self.name = nwo.split("/")[-1]

    def default_user_domain(self) -> str:
        if not Pages.is_enterprise() and self.owner == "github":
            return f"{self.owner}.{Pages.github_hostname()}".lower()
        if Pages.is_enterprise():
            return Pages.pages_hostname().lower()
        return f"{self.owner}.{Pages.pages_hostname()}".lower()

    def user_page_domains(self) -> list[str]:
        domains = [self.default_user_domain()]
        if not Pages.is_enterprise():
            domains.append(f"{self.owner}.github.com".lower())
        return domains

    def is_user_page(self) -> bool:
        if Pages.is_enterprise():
            return self.name.lower() == f"{self.owner.lower()}.{Pages.github_hostname()}"
        return self.name.lower() in self.user_page_domains()

    def domain(self) -> str:
        if not Pages.custom_domains_enabled():
            return Pages.github_hostname()
        # no CNAME and no sibling user-page repository can be seen without the API
        return self.default_user_domain()

    def url_scheme(self) -> str:
        if Pages.is_enterprise():
            return Pages.scheme()
        if self.owner == "github" and self.domain().endswith(".github.com"):
            return "https"
        return "http"

    def html_url(self) -> str:
        if not Pages.custom_domains_enabled():
            path = self.owner if self.is_user_page() else self.nwo
            if Pages.subdomain_isolation():
                url = urljoin(f"{Pages.scheme()}://{Pages.pages_hostname()}/", path)
            else:
                url = urljoin(f"{Pages.github_url()}/pages/", path)
        elif self.is_user_page():
            url = f"{self.url_scheme()}://{self.domain()}"
        else:
            url = urljoin(f"{self.url_scheme()}://{self.domain()}", self.name)
        return url.removesuffix("/")

    def baseurl(self) -> str:
        return urlsplit(self.html_url()).path

    def url_without_path(self) -> str:
        parts = urlsplit(self.html_url())
        return f"{parts.scheme}://{parts.netloc}"

    def owner_url(self) -> str:
        return f"{Pages.github_url()}/{self.owner}"

    def repository_url(self) -> str:
        return f"{self.owner_url()}/{self.name}"

    def source(self) -> dict[str, str]:
        return {"branch": "master" if self.is_user_page() else "gh-pages", "path": "/"}


def nwo_from_git(source: str) -> str | None:
    try:
        result = subprocess.run(
            ["git", "-C", source, "remote", "--verbose"],
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    urls = [
        re.sub(r"\Aorigin\t(.*) \([a-z]+\)", r"\1", line)
        for line in result.stdout.strip().split("\n")
        if line.startswith("origin\t")
    ]
    url = urls[0] if urls else ""
    url = url.removesuffix(".git")
    host = re.escape(Pages.github_hostname())
    match = re.search(rf"{host}(:|/)([\w-]+)/([\w.-]+)", url)
    return f"{match.group(2)}/{match.group(3)}" if match else None


def find_nwo(site: Site) -> str | None:
    if os.environ.get("PAGES_REPO_NWO"):
        return os.environ["PAGES_REPO_NWO"]
    repo = site.config.get("repository")
    if isinstance(repo, str) and "/" in repo:
        return repo
    if os.environ.get("JEKYLL_ENV", "development") in ("development", "test", ""):
        found = nwo_from_git(str(site.source))
        if found:
            return found
    return os.environ.get("GITHUB_REPOSITORY") or None


class MetadataDrop(Drop):
    """`site.github`: the gem's MetadataDrop keys; `github:` in the config overrides them."""

    def __init__(self, site: Site, nwo: str | None, overrides: Mapping[str, Any]) -> None:
        self.site = site
        self.nwo = nwo
        self.overrides = dict(overrides)
        self._warned = False

    @cached_property
    def repo(self) -> Repository:
        if self.nwo is None:
            raise ConfigError(f"GitHub Metadata: {NO_REPOSITORY}")
        return Repository(self.nwo)

    def _offline(self, value: Any) -> Callable[[], Any]:
        def get() -> Any:
            if not self._warned:
                self._warned = True
                self.site.logger.warn(
                    "GitHub Metadata:",
                    "No internet connection. GitHub metadata may be missing or incorrect.",
                )
            return value

        return get

    @cached_property
    def _attrs(self) -> dict[str, Callable[[], Any]]:
        r = lambda: self.repo  # noqa: E731
        return {
            "environment": Pages.env,
            "pages_env": Pages.env,
            "hostname": Pages.github_hostname,
            "pages_hostname": Pages.pages_hostname,
            "api_url": Pages.api_url,
            "help_url": Pages.help_url,
            "versions": lambda: {},
            "build_revision": self.build_revision,
            "public_repositories": self._offline([]),
            "organization_members": self._offline(None),
            "project_title": lambda: r().name,
            "project_tagline": self._offline(None),
            "owner": self._offline(dict.fromkeys(OWNER_KEYS)),
            "owner_name": lambda: r().owner,
            "owner_display_name": self._offline(None),
            "owner_url": lambda: r().owner_url(),
            "owner_gravatar_url": lambda: r().owner_url() + ".png",
            "repository_url": lambda: r().repository_url(),
            "repository_nwo": lambda: r().nwo,
            "repository_name": lambda: r().name,
            "zip_url": lambda: f"{r().repository_url()}/zipball/{r().source()['branch']}",
            "tar_url": lambda: f"{r().repository_url()}/tarball/{r().source()['branch']}",
            "clone_url": lambda: r().repository_url() + ".git",
            "releases_url": lambda: r().repository_url() + "/releases",
            "issues_url": self._offline(None),
            "wiki_url": self._offline(None),
            "language": self._offline(None),
            "is_user_page": lambda: r().is_user_page(),
            "is_project_page": lambda: not r().is_user_page(),
            "show_downloads": self._offline(None),
            "url": lambda: r().html_url(),
            "baseurl": lambda: r().baseurl(),
            "contributors": self._offline(False),
            "releases": self._offline(False),
            "latest_release": self._offline(False),
            "private": self._offline(None),
            "archived": self._offline(None),
            "disabled": self._offline(None),
            "license": self._offline(None),
            "source": lambda: r().source(),
        }

    def _attributes(self) -> Mapping[str, Callable[[], Any]]:
        return self._attrs

    def __getitem__(self, key: str) -> Any:
        if key in self.overrides:
            return self.overrides[key]
        return super().__getitem__(key)

    def _fallback(self, key: str) -> Any:
        raise KeyError(key)

    def _fallback_keys(self) -> list[str]:
        return list(self.overrides)

    def build_revision(self) -> str:
        revision = os.environ.get("JEKYLL_BUILD_REVISION")
        if revision:
            return revision
        try:
            result = subprocess.run(
                ["git", "-C", str(self.site.source), "rev-parse", "HEAD"],
                capture_output=True,
                text=True,
                timeout=10,
                check=False,
            )
        except (OSError, subprocess.SubprocessError):
            return ""
        return result.stdout.strip()

    def __str__(self) -> str:
        data: dict[str, Any] = {}
        for key in sorted(self):
            try:
                data[key] = self[key]
            except ConfigError:
                data[key] = None
        return json.dumps(data, indent=2, default=str)


class GitHubMetadata(Plugin):
    name = "jekyll-github-metadata"

    def __init__(self, site: Site) -> None:
        super().__init__(site)
        self.user_github = site.config.get("github")
        self.nwo = find_nwo(site)
        self.munge()

    def munge(self) -> None:
        """The gem's `:after_init` fallbacks for `title`, `description`, `url`, `baseurl`."""
        config, nwo = self.site.config, self.nwo
        if nwo is None:
            self.site.logger.debug("GitHub Metadata:", NO_REPOSITORY)
            return
        repo = Repository(nwo)
        if config.get("name") and not config.get("title"):
            self.site.logger.warn(
                "GitHub Metadata:",
                "site.name is set in _config.yml, but many plugins and themes expect "
                "site.title to be used instead. To avoid potential inconsistency, Jekyll "
                "GitHub Metadata will not set site.title to the repository's name.",
            )
        elif config.get("title") in (None, False):
            # a user page's title is the owner's display name, unknown offline: the login
            config["title"] = repo.owner if repo.is_user_page() else repo.name
        if os.environ.get("JEKYLL_ENV") == "production" or Pages.page_build():
            if config.get("url") in (None, False):
                config["url"] = repo.url_without_path()
            if config.get("baseurl") in (None, "/"):
                config["baseurl"] = repo.baseurl()

    def namespace(self) -> Any:
        drop = MetadataDrop(self.site, self.nwo, {})
        if self.user_github is None:
            return drop
        if isinstance(self.user_github, dict):
            return MetadataDrop(self.site, self.nwo, deep_merge({}, self.user_github))
        return self.user_github

    def pre_render(self, payload: dict[str, Any]) -> None:
        self.site.config["github"] = self.namespace()

    def tags(self) -> list[type[Tag]]:
        return [EditLinkTag]


# -- {% github_edit_link ["text"] %} ------------------------------------------------------

_LINK_TEXT = re.compile(r"""(?:"(.*)"|'(.*)')""")


def _lookup(mapping: Any, key: str) -> Any:
    if isinstance(mapping, Mapping):
        try:
            return mapping[key]
        except KeyError:
            return None
    return None


class EditLinkNode(MarkupNode):
    __slots__ = ()

    def uri(self, context: RenderContext) -> str:
        site = site_of(context)
        github = site.config.get("github") if site is not None else None
        source = _lookup(github, "source") or {}
        page = context.get(["page"], token=self.token, default=None)
        parts = [
            _lookup(github, "repository_url"),
            "edit/",
            _lookup(source, "branch"),
            _lookup(source, "path"),
            _lookup(page, "path"),
        ]
        if any(p is None for p in parts):
            if site is not None:
                site.logger.warn(
                    "JekyllEditLink: ", "Cannot generate edit URLs due to missing site.github data"
                )
            return ""
        normalized = []
        for index, part in enumerate(parts):
            text = str(part).removeprefix("/")
            if index != len(parts) - 1 and not text.endswith("/"):
                text += "/"
            normalized.append("" if text == "/" else text)
        url = normalized[0]
        for part in normalized[1:]:
            url = urljoin(url, part)
        return url

    def render_to_output(self, context: RenderContext, buffer: TextIO) -> int:
        match = _LINK_TEXT.search(self.markup)
        text = (match.group(1) if match.group(1) is not None else match.group(2)) if match else None
        uri = self.uri(context)
        if text:
            return buffer.write(f'<a href="{uri}">{text}</a>')
        return buffer.write(uri)


class EditLinkTag(Tag):
    name = "github_edit_link"
    block = False

    def parse(self, stream: TokenStream) -> Node:
        token, markup = markup_of(stream)
        return EditLinkNode(token, markup or "")


PLUGINS = [GitHubMetadata]
