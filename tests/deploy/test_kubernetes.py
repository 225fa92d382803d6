"""deploy/k8s/: every document valid against the Kubernetes schemas (kubernetes-validate ships
them: validation is offline), and the things the schemas cannot know: probes on /health and
/ready, non-root pods, Services and budgets that select their pods, autoscalers on existing
Deployments, the migration Job, and settings that exist."""

from __future__ import annotations

import copy
from typing import Any

import kubernetes_validate
import pytest

from tests.deploy.manifests import kubernetes_documents, rasa_variables, setting_names

KUBERNETES = "1.30.0"
"""The API version validated against (kubernetes-validate's schemas; policy/v1 PDBs,
autoscaling/v2 HPAs need >= 1.23)."""

DOCUMENTS = kubernetes_documents()


def of_kind(kind: str) -> dict[str, dict[str, Any]]:
    return {d["metadata"]["name"]: d for _, d in DOCUMENTS if d["kind"] == kind}


def matches(selector: dict[str, str], labels: dict[str, str]) -> bool:
    return selector.items() <= labels.items()


@pytest.mark.parametrize(
    "document", [d for _, d in DOCUMENTS],
    ids=[f"{p.name}:{d['kind']}/{d['metadata']['name']}" for p, d in DOCUMENTS])
def test_document_is_valid_against_the_kubernetes_schema(document: dict[str, Any]) -> None:
    kubernetes_validate.validate(document, KUBERNETES, strict=True)


def test_the_validator_rejects_what_the_cluster_would() -> None:
    gateway = copy.deepcopy(of_kind("Deployment")["gateway"])
    gateway["spec"]["replicas"] = "two"
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(gateway, KUBERNETES, strict=True)
    typo = copy.deepcopy(of_kind("Deployment")["gateway"])
    typo["spec"]["template"]["spec"]["containers"][0]["livenesProbe"] = {}
    with pytest.raises(kubernetes_validate.ValidationError):  # strict: unknown fields too
        kubernetes_validate.validate(typo, KUBERNETES, strict=True)


def test_every_process_has_probes_runs_as_non_root_and_keeps_a_replica_through_disruption() -> None:
    deployments, budgets = of_kind("Deployment"), of_kind("PodDisruptionBudget")
    assert {"gateway", "rasa", "actions", "redis"} <= set(deployments)
    for name, deployment in deployments.items():
        pod = deployment["spec"]["template"]
        assert matches(deployment["spec"]["selector"]["matchLabels"], pod["metadata"]["labels"])
        assert pod["spec"]["securityContext"]["runAsNonRoot"] is True, name
        assert pod["spec"]["securityContext"]["runAsUser"] != 0, name
        for container in pod["spec"]["containers"]:
            assert {"livenessProbe", "readinessProbe"} <= set(container), name
            assert container["securityContext"]["allowPrivilegeEscalation"] is False, name
            assert "memory" in container["resources"]["limits"], name
        if name != "redis":
            assert deployment["spec"]["replicas"] >= 2, name
            budget = budgets[name]
            assert budget["spec"]["minAvailable"] == 1
            assert matches(budget["spec"]["selector"]["matchLabels"], pod["metadata"]["labels"])
    gateway = deployments["gateway"]["spec"]["template"]["spec"]["containers"][0]
    assert gateway["livenessProbe"]["httpGet"]["path"] == "/health"
    assert gateway["readinessProbe"]["httpGet"]["path"] == "/ready"
    actions = deployments["actions"]["spec"]["template"]["spec"]["containers"][0]
    assert actions["readinessProbe"]["httpGet"]["path"] == "/health"


def test_services_reach_their_pods_on_a_declared_port() -> None:
    deployments = of_kind("Deployment")
    for name, service in of_kind("Service").items():
        pod = deployments[name]["spec"]["template"]
        assert matches(service["spec"]["selector"], pod["metadata"]["labels"]), name
        ports = {p["name"] for c in pod["spec"]["containers"] for p in c["ports"]}
        assert {p["targetPort"] for p in service["spec"]["ports"]} <= ports, name


def test_gateway_and_rasa_autoscale_from_two() -> None:
    deployments = of_kind("Deployment")
    scalers = of_kind("HorizontalPodAutoscaler")
    assert set(scalers) == {"gateway", "rasa"}
    for name, scaler in scalers.items():
        target = scaler["spec"]["scaleTargetRef"]
        assert (target["kind"], target["name"]) == ("Deployment", name)
        assert target["name"] in deployments
        assert scaler["spec"]["minReplicas"] == 2 < scaler["spec"]["maxReplicas"]


def test_migration_job_migrates_with_the_app_settings() -> None:
    job = of_kind("Job")["migrate"]["spec"]
    container = job["template"]["spec"]["containers"][0]
    assert container["args"] == ["migrate"]
    assert job["template"]["spec"]["restartPolicy"] == "Never"
    assert {s.get("secretRef", s.get("configMapRef"))["name"] for s in container["envFrom"]} == {
        "booking-config", "booking-secrets"}


def test_every_variable_given_is_read_by_the_process_it_reaches() -> None:
    """The ConfigMap reaches the app processes (settings); the Secret reaches both images;
    Rasa gets exactly the variables its image reads, and every one it requires."""
    config = set(of_kind("ConfigMap")["booking-config"]["data"])
    secret = set(of_kind("Secret")["booking-secrets"]["stringData"])
    assert config - setting_names() == set()
    assert secret - setting_names() - rasa_variables() == set()
    assert {"DATABASE_URL", "SECRET_KEY", "RASA_TOKEN"} <= secret
    rasa = of_kind("Deployment")["rasa"]["spec"]["template"]["spec"]["containers"][0]
    given = {e["name"] for e in rasa["env"]}
    assert given <= rasa_variables()
    assert rasa_variables(required_only=True) <= given
    for entry in rasa["env"]:
        ref = entry.get("valueFrom", {})
        if "secretKeyRef" in ref:
            assert ref["secretKeyRef"]["key"] in secret, entry["name"]
        if "configMapKeyRef" in ref:
            assert ref["configMapKeyRef"]["key"] in config, entry["name"]
