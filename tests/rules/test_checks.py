"""The machinery of the catalogue: sources, checks, families, release facts and the walk's order."""

from __future__ import annotations

import pytest

import hyperv_backup as hb
from hyperv_backup.decide.evaluate import _Group, _groups
from hyperv_backup.model import HostOS, HostVolume
from hyperv_backup.rules import (
    ALL_PROFILES,
    CHECKS,
    FAMILIES,
    RELEASE_FACTS,
    RULES,
    Check,
    Claim,
    Effect,
    Family,
    Page,
    Phase,
    Profile,
    Rule,
    Scope,
    Severity,
    Source,
    profile_for,
    release_facts,
)
from hyperv_backup.rules._paths import host_volume, names_by_address, smb_server
from hyperv_backup.rules.catalogue import _catalogue
from hyperv_backup.rules.pages import CSV_PAGE, GUIDANCE, STORAGE, citation

PAGE = Page(title="A page", url="https://example.com/page", repository="o/r", path="p.md")


def _rule(rule_id: str = "HVB199", **changes: object) -> Rule:
    fields: dict[str, object] = {
        "id": rule_id,
        "title": "t",
        "severity": Severity.INFO,
        "profiles": ALL_PROFILES,
        "source": Source(page=PAGE, heading="h"),
        "description": "d",
        "remedy": "r",
    }
    fields.update(changes)
    return Rule(**fields)  # type: ignore[arg-type]


def _nothing(subject: object, ctx: object) -> None:
    return None


def _check(rule: Rule, scope: Scope = Scope.VM, **changes: object) -> Check:
    fields: dict[str, object] = {
        "rule": rule,
        "scope": scope,
        "phase": Phase.HOST if scope is Scope.HOST else Phase.VM,
        "effect": Effect.NONE,
        "findings": _nothing,
    }
    fields.update(changes)
    return Check(**fields)  # type: ignore[arg-type]


# --- sources ---------------------------------------------------------------------------


def test_a_page_needs_an_https_address_and_a_title() -> None:
    with pytest.raises(ValueError, match="url must be an https:// address"):
        Page(title="t", url="http://example.com")
    with pytest.raises(ValueError, match="title must not be empty"):
        Page(title=" ", url="https://example.com")


def test_a_page_names_its_repository_and_path_together() -> None:
    with pytest.raises(ValueError, match="repository and path are given together"):
        Page(title="t", url="https://example.com", repository="o/r")
    assert Page(title="t", url="https://example.com").kept_at == "https://example.com"
    assert PAGE.kept_at == "o/r: p.md"


def test_an_inferred_claim_carries_its_inference_and_a_stated_one_none() -> None:
    with pytest.raises(ValueError, match="inferred claim needs its inference"):
        Source(page=PAGE, heading="h", claim=Claim.INFERRED, inference="because")
    with pytest.raises(ValueError, match="stated claim has no inference"):
        Source(page=PAGE, heading="h", inference="because")
    inferred = Source(page=PAGE, heading="h", claim=Claim.INFERRED, inference="i", anchor="a")
    assert inferred.claim is Claim.INFERRED


def test_the_guidance_is_cited_by_its_heading_alone() -> None:
    assert citation(Source(page=GUIDANCE, heading=STORAGE)) == STORAGE
    assert citation(Source(page=CSV_PAGE, heading="Back up CSV")).startswith(
        "Back up CSV (MicrosoftDocs/windowsserverdocs: "
    )


def test_every_rule_cites_a_page_with_an_https_address() -> None:
    for rule in RULES.values():
        assert rule.source.page.url.startswith("https://"), rule.id
        assert rule.source.heading.strip(), rule.id


# --- rules and checks --------------------------------------------------------------------


def test_a_rule_is_reported_by_some_profile() -> None:
    with pytest.raises(ValueError, match="at least one profile"):
        _rule(profiles=frozenset())
    assert _rule(profiles=[Profile.WS2008]).profiles == frozenset({Profile.WS2008})


def test_a_condition_that_keeps_the_guest_out_says_what_it_is() -> None:
    with pytest.raises(ValueError, match="needs its obstacle"):
        _check(_rule(), effect=Effect.GUEST_CANNOT_TAKE_PART)


def test_host_checks_and_only_they_are_of_the_host_phase() -> None:
    with pytest.raises(ValueError, match="host checks, and only they"):
        _check(_rule(), Scope.HOST, phase=Phase.VM)
    with pytest.raises(ValueError, match="host checks, and only they"):
        _check(_rule(), Scope.VM, phase=Phase.HOST)


def test_every_check_fires_a_rule_of_its_own_family() -> None:
    for family in FAMILIES:
        for check in family.checks:
            assert check.rule.id.startswith(family.prefix)
    assert len(CHECKS) == sum(len(f.checks) for f in FAMILIES)


def test_the_catalogue_refuses_an_id_outside_its_range_or_given_twice() -> None:
    with pytest.raises(ValueError, match="not in its family's range HVB2xx"):
        _catalogue((Family(prefix="HVB2", rules=(_rule("HVB199"),)),))
    with pytest.raises(ValueError, match="not in its family's range HVB1xx"):
        _catalogue((Family(prefix="HVB1", rules=(_rule("HVB1999"),)),))
    with pytest.raises(ValueError, match="HVB199 is given twice"):
        _catalogue((Family(prefix="HVB1", rules=(_rule(), _rule())),))


def test_the_catalogue_refuses_a_check_of_another_familys_rule() -> None:
    other = _rule("HVB299")
    family = Family(prefix="HVB1", rules=(_rule(),), checks=(_check(other),))
    with pytest.raises(ValueError, match="fires HVB299, not one of its rules"):
        _catalogue((family,))


# --- the order of the walk ---------------------------------------------------------------


def _scopes(groups: tuple[_Group, ...]) -> list[tuple[Scope, bool, list[Check], list[Check]]]:
    return [
        (g.scope, g.shapes_outcome, [c for c, _ in g.checks], [c for c, _ in g.volume_checks])
        for g in groups
    ]


def test_checks_of_one_scope_that_follow_each_other_run_together() -> None:
    rule = _rule()
    vm1, vm2 = _check(rule), _check(rule)
    disk, volume = _check(rule, Scope.DISK), _check(rule, Scope.VOLUME)
    vhd = _check(rule, Scope.VIRTUAL_HARD_DISK)
    assert _scopes(_groups([vm1, vm2, disk, volume, vhd, vm1])) == [
        (Scope.VM, False, [vm1, vm2], []),
        (Scope.DISK, False, [disk], [volume]),
        (Scope.VIRTUAL_HARD_DISK, False, [vhd], []),
        (Scope.VM, False, [vm1], []),
    ]


def test_volume_checks_walk_the_disks_even_without_disk_checks() -> None:
    rule = _rule()
    volume, disk = _check(rule, Scope.VOLUME), _check(rule, Scope.DISK)
    assert _scopes(_groups([volume, disk])) == [
        (Scope.DISK, False, [], [volume]),
        (Scope.DISK, False, [disk], []),
    ]


def test_checks_of_two_phases_do_not_join() -> None:
    rule = _rule()
    guest = _check(rule, phase=Phase.GUEST)
    state = _check(rule, phase=Phase.STATE)
    cluster = _check(rule, phase=Phase.CLUSTER)
    assert _scopes(_groups([guest, state, cluster])) == [
        (Scope.VM, True, [guest], []),
        (Scope.VM, True, [state], []),
        (Scope.VM, False, [cluster], []),
    ]


def test_the_phases_that_shape_the_outcome() -> None:
    shaping = [phase for phase in Phase if phase.shapes_outcome]
    assert shaping == [Phase.GUEST, Phase.STATE, Phase.STORAGE, Phase.CONFIGURATION]


# --- profiles and release facts ----------------------------------------------------------


def test_every_release_has_one_profile_and_its_facts() -> None:
    for release in HostOS:
        profile = profile_for(release)
        assert release in profile.releases
        assert RELEASE_FACTS[release].release is release
    assert [p.latest for p in Profile] == [
        HostOS.WINDOWS_SERVER_2008_R2,
        HostOS.WINDOWS_SERVER_2012_R2,
        HostOS.WINDOWS_SERVER_2025,
    ]


def test_profile_for_names_what_it_takes() -> None:
    with pytest.raises(TypeError, match="profile_for\\(\\) takes a HostOS, got Host"):
        profile_for(hb.Host(name="H", os=HostOS.WINDOWS_SERVER_2022))  # type: ignore[arg-type]
    with pytest.raises(hb.HypervBackupError, match="unknown release 'windows_server_2030'"):
        profile_for("windows_server_2030")
    assert profile_for("windows_server_2022") is Profile.WS2016


def test_a_profile_answers_another_release_with_its_latest_facts() -> None:
    facts = release_facts(Profile.WS2012, HostOS.WINDOWS_SERVER_2022)
    assert facts is RELEASE_FACTS[HostOS.WINDOWS_SERVER_2012_R2]
    own = release_facts(Profile.WS2012, HostOS.WINDOWS_SERVER_2012)
    assert own is RELEASE_FACTS[HostOS.WINDOWS_SERVER_2012]


#: The facts of each release, as the table of docs/interpretation.md ("The facts of
#: each release") gives them:
#: saves, unix, unix online, refs, replica, backs up replicas, production
#: checkpoints, SCSI controller needed, VHD Set shared, VSS writer only, CSV any node,
#: the "Child VM Snapshot" conditions of the WMI page.
_FACTS = {
    HostOS.WINDOWS_SERVER_2008: (1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0),
    HostOS.WINDOWS_SERVER_2008_R2: (1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0),
    HostOS.WINDOWS_SERVER_2012: (1, 1, 0, 1, 1, 0, 0, 0, 0, 1, 1, 1),
    HostOS.WINDOWS_SERVER_2012_R2: (0, 1, 1, 1, 1, 1, 0, 1, 0, 1, 1, 1),
    HostOS.WINDOWS_SERVER_2016: (0, 1, 1, 1, 1, 1, 1, 0, 1, 0, 1, 1),
    HostOS.WINDOWS_SERVER_2019: (0, 1, 1, 1, 1, 1, 1, 0, 1, 0, 1, 1),
    HostOS.WINDOWS_SERVER_2022: (0, 1, 1, 1, 1, 1, 1, 0, 1, 0, 1, 1),
    HostOS.WINDOWS_SERVER_2025: (0, 1, 1, 1, 1, 1, 1, 0, 1, 0, 1, 1),
}


@pytest.mark.parametrize("release", list(HostOS))
def test_the_facts_of_each_release(release: HostOS) -> None:
    facts = RELEASE_FACTS[release]
    got = (
        facts.saves_vm_guest_cannot_quiesce,
        facts.knows_unix_guests,
        facts.backs_up_unix_guests_online,
        facts.refs_takes_part,
        facts.has_replica,
        facts.backs_up_replicas,
        facts.production_checkpoints,
        facts.online_backup_needs_scsi_controller,
        facts.vhd_set_shared_storage,
        facts.backs_up_through_vss_writer_only,
        facts.csv_backed_up_from_any_node,
        facts.child_vm_snapshot_conditions,
    )
    assert got == tuple(bool(f) for f in _FACTS[release])


def test_the_guidance_names_its_hotfixes_for_2008_r2_only() -> None:
    host = hb.Host(name="H", os=HostOS.WINDOWS_SERVER_2008_R2)
    assert RELEASE_FACTS[HostOS.WINDOWS_SERVER_2008_R2].lacks(host, "KB982210")
    patched = hb.Host(name="H", os=HostOS.WINDOWS_SERVER_2008_R2, installed_updates=["KB982210"])
    assert not RELEASE_FACTS[HostOS.WINDOWS_SERVER_2008_R2].lacks(patched, "KB982210")
    assert not RELEASE_FACTS[HostOS.WINDOWS_SERVER_2008].lacks(host, "KB982210")


# --- one VM, asked directly ----------------------------------------------------------------


def test_the_answers_for_one_vm_name_what_they_take() -> None:
    host = hb.Host(name="H", os=HostOS.WINDOWS_SERVER_2022)
    vm = hb.VM(name="V", state=hb.VMState.RUNNING)
    with pytest.raises(TypeError, match="backup_mode\\(\\) takes a VM, got str"):
        hb.backup_mode("V")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="backup_outcome\\(\\) takes a VM, got str"):
        hb.backup_outcome("V", host)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="takes the Host that backs the VM up, got str"):
        hb.backup_outcome(vm, "HV22-NODE1")  # type: ignore[arg-type]


# --- where a host path is (rules/_paths.py) -------------------------------------------------


@pytest.mark.parametrize(
    ("path", "volume"),
    [
        ("D:\\VMs\\a.vhdx", "d:"),
        ("c:\\ClusterStorage\\Volume2\\a.vhdx", "c:\\clusterstorage\\volume2"),
        ("\\\\FS01\\VMs\\a.vhdx", "\\\\fs01\\vms"),
        ("\\\\?\\Volume{abc}\\a.vhd", "\\\\?\\volume{abc}"),
        ("relative\\a.vhdx", None),
        # Listed volumes win, the longest mount path first; a sibling folder is not under it.
        ("D:\\Mount\\a.vhdx", "d:\\mount"),
        ("D:\\Mountain\\a.vhdx", "d:"),
    ],
)
def test_host_volume_of_a_path(path: str, volume: str | None) -> None:
    listed = (
        HostVolume(name="D:\\", free_space=0),
        HostVolume(name="D:\\Mount\\", free_space=0),
    )
    assert host_volume(path, listed if path.startswith("D:") else ()) == volume


@pytest.mark.parametrize(
    ("path", "server", "by_address"),
    [
        ("\\\\FS01\\VMs\\a.vhdx", "FS01", False),
        ("\\\\10.1.2.3\\VMs\\a.vhdx", "10.1.2.3", True),
        ("\\\\fe80--1.ipv6-literal.net\\VMs\\a.vhdx", "fe80--1.ipv6-literal.net", True),
        ("\\\\?\\Volume{abc}\\a.vhdx", None, False),
        ("D:\\a.vhdx", None, False),
        (None, None, False),
    ],
)
def test_the_server_of_a_share(path: str | None, server: str | None, by_address: bool) -> None:
    assert smb_server(path) == server
    assert (server is not None and names_by_address(server)) is by_address


def test_an_address_in_brackets_is_an_address() -> None:
    assert names_by_address("[fe80::1]")
    assert not names_by_address("fs01.ipv6-literal.net")
