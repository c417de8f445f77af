# Later workflow steps written in Python, run in batches: Alibaba's Python credentials SDK (alibabacloud_credentials)
# with its STS SDK (alibabacloud_sts20150401), and Prowler's Alibaba Cloud provider (AlibabacloudProvider), each
# built fresh for every case from that case's environment and HOME. Nothing comes from the tests but the STS
# endpoint (the SDK case) and Prowler's command-line options (the Prowler case): credentials come from the environment
# and HOME, TLS trust from SSL_CERT_FILE, and Prowler reaches STS and RAM at their real names through HTTPS_PROXY.
#
# Usage: python consumer.py      (the interpreter of the venv under test), one case per line on stdin:
#   {"id", "kind": "sdk" | "prowler" | "prowler-choice", "env": {...}, "stsHost"?, "uri"?, "calls"?, "pauseMs"?,
#    "startAfterMs"?, "prowler"?: {AlibabacloudProvider keyword arguments}}
# Each case starts as soon as its line arrives; one JSON line is printed per case as it finishes:
# {"id", "ok", "provider", "accessKeyId", "calls": [...]} or {"id", "ok": false, "error"}. The process ends when
# stdin ends and every case has answered.
#   sdk             the SDK's default chain (or a credentials_uri client) and GetCallerIdentity
#   prowler         AlibabacloudProvider(...) built, which calls GetCallerIdentity (and RAM's GetAccountAlias)
#   prowler-choice  which credentials Prowler takes: its AlibabacloudProvider.setup_session runs, and the
#                   credentials client it builds is recorded instead of built, so no request is made
#
# Why one process can stand for many fresh ones (Python starts slowly, Prowler's provider takes seconds to import):
# each case runs in a child forked from this process, with the case's environment set before anything reads it.
#   - The SDK reads the environment when its modules are imported (alibabacloud_credentials/utils/auth_util.py sets
#     environment_access_key_id and the rest at module level; auth_constant.py sets HOME), not when a client is
#     built. So an SDK case drops every alibabacloud_* module from sys.modules in the child and imports the SDK
#     again: what a fresh interpreter would do. Its dependencies (Tea, darabonba, requests, ...) read no
#     credentials variable at import and stay loaded.
#   - Prowler reads the environment when the provider is built: AlibabacloudProvider.setup_session looks each
#     variable up in os.environ at call time and hands the SDK a Config with an explicit type, for which
#     alibabacloud_credentials' Client never consults auth_util (Client.get_credentials in client.py). So a Prowler
#     case builds the provider that this process imported once; this process is started with no credentials
#     variable at all (checked below), so nothing read at import can stand in for the case's.
import json
import os
import selectors
import sys
import time

PREFIXES = ("ALIBABA_CLOUD_", "ALIBABACLOUD_", "ALICLOUD_", "ALIYUN_")


def main():
    stray = [name for name in os.environ if name.startswith(PREFIXES)]
    if stray:
        sys.exit(f"consumer.py must start without credentials variables; it has {stray}")
    # What every case needs, imported once. The SDK's modules are imported again in each SDK case (see above).
    import alibabacloud_sts20150401.client  # noqa: F401
    import alibabacloud_credentials.client  # noqa: F401

    try:
        import prowler.providers.alibabacloud.alibabacloud_provider  # noqa: F401
    except ImportError:
        pass  # the venv of the SDK alone

    selector = selectors.DefaultSelector()
    selector.register(0, selectors.EVENT_READ, None)
    pending = b""
    open_input = True
    children = 0
    while open_input or children:
        for key, _ in selector.select():
            if key.data is None:
                # Unbuffered: a buffered readline could hold lines that select() would then not report.
                data = os.read(0, 65536)
                if not data:
                    selector.unregister(0)
                    open_input = False
                pending += data
                *lines, pending = pending.split(b"\n")
                for line in filter(bytes.strip, lines):
                    case = json.loads(line)
                    read_end = start_case(case)
                    selector.register(read_end, selectors.EVENT_READ, (case["id"], read_end))
                    children += 1
            else:
                case_id, read_end = key.data
                selector.unregister(read_end)
                with os.fdopen(read_end) as answer:
                    text = answer.read()
                children -= 1
                print(text or json.dumps({"id": case_id, "ok": False, "error": "the case's process printed nothing"}), flush=True)
        reap()


def start_case(case):
    """Forks the case's process; returns the end of the pipe its answer comes on."""
    read_end, write_end = os.pipe()
    if os.fork() == 0:
        os.close(read_end)
        code = 0
        try:
            result = run_case(case)
        except BaseException as error:  # noqa: BLE001 - every failure is the case's answer
            result = {"ok": False, "error": f"{type(error).__name__}: {error}"}
            code = 1
        result["id"] = case["id"]
        with os.fdopen(write_end, "w") as out:
            out.write(json.dumps(result))
        os._exit(code)
    os.close(write_end)
    return read_end


def reap():
    try:
        while os.waitpid(-1, os.WNOHANG)[0]:
            pass
    except ChildProcessError:
        pass


def run_case(case):
    os.environ.clear()
    os.environ.update(case["env"])
    if case.get("startAfterMs"):
        time.sleep(case["startAfterMs"] / 1000)
    if case["kind"] == "prowler":
        return prowler_case(case)
    if case["kind"] == "prowler-choice":
        return prowler_choice(case)
    for name in [name for name in sys.modules if name.startswith("alibabacloud_")]:
        del sys.modules[name]
    return sdk_case(case)


def sdk_case(case):
    from alibabacloud_credentials.client import Client as CredentialClient
    from alibabacloud_credentials.models import Config as CredentialConfig
    from alibabacloud_credentials.utils import auth_util
    from alibabacloud_sts20150401.client import Client as StsClient
    from alibabacloud_tea_openapi import models as open_api_models

    # The fresh import read this case's environment.
    assert auth_util.environment_access_key_id == os.environ.get("ALIBABA_CLOUD_ACCESS_KEY_ID")
    if case.get("uri"):
        # As docs/CONSUMERS.md tells code that should renew: a client of the URI, not the default chain.
        credential = CredentialClient(CredentialConfig(type="credentials_uri", credentials_uri=os.environ["ALIBABA_CLOUD_CREDENTIALS_URI"]))
    else:
        credential = CredentialClient()
    first = credential.get_credential()
    client = StsClient(open_api_models.Config(credential=credential, endpoint=case["stsHost"], protocol="https"))
    calls = []
    for index in range(case.get("calls", 1)):
        if index:
            time.sleep(case.get("pauseMs", 0) / 1000)
        body = client.get_caller_identity().body
        now = credential.get_credential()
        calls.append({"accountId": body.account_id, "arn": body.arn, "identityType": body.identity_type, "accessKeyId": now.access_key_id})
    return {"ok": True, "provider": first.provider_name or first.type, "accessKeyId": first.access_key_id, "calls": calls}


def prowler_case(case):
    from prowler.providers.alibabacloud.alibabacloud_provider import AlibabacloudProvider

    # Only the regions option: a scan of every region would be the same provider with more to list.
    provider = AlibabacloudProvider(regions=["cn-hangzhou"], **case.get("prowler", {}))
    credentials = provider.session.get_credentials()
    identity = provider.identity
    return {
        "ok": True,
        "provider": type(provider.session.cred_client.cloud_credential.provider).__name__,
        "accessKeyId": credentials.access_key_id,
        "hasSecurityToken": bool(credentials.security_token),
        "calls": [{"accountId": identity.account_id, "arn": identity.identity_arn, "identityType": "", "accessKeyId": credentials.access_key_id}],
    }


class _Recorded(Exception):
    pass


# Prowler's credential types (alibabacloud_provider.py, setup_session) by the names the tests use.
METHODS = {
    "credentials_uri": "credentials-uri",
    "oidc_role_arn": "oidc-role-arn",
    "ecs_ram_role": "ecs-ram-role",
    "ram_role_arn": "ram-role-arn",
    "sts": "sts",
    "access_key": "access-key",
    None: "none",
}


def prowler_choice(case):
    from prowler.providers.alibabacloud import alibabacloud_provider

    recorded = []

    class Recorder:
        """Stands in for alibabacloud_credentials' Client: keeps the Config Prowler built, makes no request."""

        def __init__(self, config):
            recorded.append(config)
            raise _Recorded()

    alibabacloud_provider.CredClient = Recorder
    try:
        alibabacloud_provider.AlibabacloudProvider.setup_session(**case.get("prowler", {}))
    except Exception:  # noqa: BLE001 - setup_session wraps the Recorder's exception
        if not recorded:
            raise
    config = recorded[0]
    method = METHODS[config.type]
    return {
        "ok": True,
        "method": method,
        "accessKeyId": config.access_key_id if method in ("sts", "access-key") else None,
        "hasSecurityToken": method not in ("access-key", "none"),
        "detail": f"setup_session chose credential type {config.type}",
    }


if __name__ == "__main__":
    main()
