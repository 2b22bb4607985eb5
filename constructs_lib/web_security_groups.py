"""The seed's security groups: a public web group, the instances' group and an admin group."""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence
from typing import Any

import jsii
from aws_cdk import aws_ec2 as ec2
from constructs import Construct

from constructs_lib._acknowledge import acknowledge, skip_checkov
from constructs_lib._validation import (
    PropErrors,
    as_list,
    check_ipv4_cidr,
    check_port,
    is_token,
    parent_checked,
    typed_arguments,
    unique,
)

SSH_PORT = 22
# Remote-administration ports: never the app port, never opened on the public group.
ADMIN_PORTS = {22: "SSH", 23: "Telnet", 3389: "RDP", 5900: "VNC", 5985: "WinRM", 5986: "WinRM"}
# The public group opens these, and only explicitly listed unprivileged ports besides.
WEB_PORTS = (80, 443)
# Who may reach SSH. Private ranges (RFC 1918: VPN and on-premises users) are fine at any
# size. A public range may hold at most 256 addresses (/24, an office), and all the public
# ranges together at most 1024: anything wider is "the internet" for an admin port.
PRIVATE_RANGES = tuple(
    ipaddress.IPv4Network(n) for n in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16")
)
MIN_PUBLIC_ADMIN_PREFIX = 24
MAX_PUBLIC_ADMIN_ADDRESSES = 1024


def check_admin_cidrs(
    errors: PropErrors, arg: str, value: Any, *, item: str = "{arg}[{index}]"
) -> list[str]:
    """Who may SSH: valid IPv4 CIDRs; private (RFC 1918) ranges of any size, public ones at
    most /24 each and ``MAX_PUBLIC_ADMIN_ADDRESSES`` together. Returns the valid CIDRs.
    ``item`` formats an item's name in messages (the configuration names its key)."""
    cidrs = as_list(errors, arg, value, example="['203.0.113.10/32']")
    valid: list[str] = []
    public: list[ipaddress.IPv4Network] = []
    for index, cidr in enumerate(cidrs):
        name = item.format(arg=arg, index=index)
        before = len(errors.problems)
        check_ipv4_cidr(errors, name, cidr, allow_any=False)
        if len(errors.problems) != before or is_token(cidr):
            continue
        network = ipaddress.IPv4Network(cidr)
        if any(network.subnet_of(private) for private in PRIVATE_RANGES):
            valid.append(cidr)
        elif network.prefixlen < MIN_PUBLIC_ADMIN_PREFIX:
            errors.add(
                f"{name} {cidr!r} opens SSH to {network.num_addresses:,} public addresses; "
                f"give public ranges of /{MIN_PUBLIC_ADMIN_PREFIX} or narrower (e.g. your own "
                "address as a /32), private RFC 1918 ranges for VPN users, or use Session Manager"
            )
        else:
            valid.append(cidr)
            public.append(network)
    total = sum(n.num_addresses for n in ipaddress.collapse_addresses(public))
    if total > MAX_PUBLIC_ADMIN_ADDRESSES:
        errors.add(
            f"{arg} together open SSH to {total:,} public addresses; keep it to at most "
            f"{MAX_PUBLIC_ADMIN_ADDRESSES} (the addresses admins really use) or use Session Manager"
        )
    return valid


def check_app_port(errors: PropErrors, arg: str, value: Any) -> None:
    """A TCP port the load balancer may reach on the instances: never an admin port."""
    check_port(errors, arg, value)
    if isinstance(value, int) and value in ADMIN_PORTS:
        errors.add(
            f"{arg} {value} is the {ADMIN_PORTS[value]} port; the load-balancer group would "
            "reach remote administration on the instances. Serve the app on e.g. 80 or 8080"
        )


def check_listener_ports(errors: PropErrors, arg: str, value: Any) -> None:
    """Ports the public group opens to the internet: 80, 443, and explicit ports above 1023
    that are not remote-administration ports."""
    ports = as_list(errors, arg, value, example="(80, 443)")
    if not ports and not isinstance(value, (str, bytes)) and isinstance(value, Sequence):
        errors.add(f"{arg} is empty; give at least one port, e.g. (80, 443)")
    for index, port in enumerate(ports):
        item = f"{arg}[{index}]"
        before = len(errors.problems)
        check_port(errors, item, port)
        if len(errors.problems) != before or is_token(port) or port in WEB_PORTS:
            continue
        if port < 1024 or port in ADMIN_PORTS:
            errors.add(
                f"{item} {port} would be open to the whole internet; the public group opens "
                f"only {WEB_PORTS[0]}/{WEB_PORTS[1]} and unprivileged ports above 1023 that are "
                f"not remote administration ({', '.join(map(str, sorted(ADMIN_PORTS)))})"
            )


def check_security_groups(
    errors: PropErrors, *, app_port: Any, listener_ports: Any, admin_cidrs: Any
) -> None:
    """Every rule on ``WebSecurityGroups``' arguments (its constructor and ``WebTier`` call it)."""
    check_app_port(errors, "app_port", app_port)
    check_listener_ports(errors, "listener_ports", listener_ports)
    check_admin_cidrs(errors, "admin_cidrs", admin_cidrs)


@jsii.implements(ec2.IConnectable)
class WebSecurityGroups(Construct):
    """Security groups for a load-balanced web tier.

    Creates:

    * ``load_balancer``: TCP ``listener_ports`` (80 and 443) from anywhere on IPv4, and on
      IPv6 too when ``dual_stack`` is set (a dual-stack load balancer).
    * ``instances``: ``app_port`` only from the load-balancer group (a security-group
      reference, never a CIDR).
    * ``admin`` (only when ``admin_cidrs`` is given): SSH (22) from those CIDRs alone.

    Egress is open on every group, as in the seed: instances reach package repositories and
    AWS APIs through the NAT gateway. ``instance_groups`` lists what an instance should wear.
    """

    @staticmethod
    def check(
        errors: PropErrors,
        *,
        app_port: int = 80,
        listener_ports: Sequence[int] = (80, 443),
        admin_cidrs: Sequence[str] = (),
    ) -> None:
        """Every argument that can be wrong (``check_security_groups``): what the
        constructor runs first, and what ``WebTier`` runs before it builds anything."""
        check_security_groups(
            errors, app_port=app_port, listener_ports=listener_ports, admin_cidrs=admin_cidrs
        )

    @typed_arguments
    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        vpc: ec2.IVpc,
        app_port: int = 80,
        listener_ports: Sequence[int] = (80, 443),
        admin_cidrs: Sequence[str] = (),
        dual_stack: bool = False,
        clients: ec2.IPeer | None = None,
        shared_load_balancer: ec2.IConnectable | None = None,
    ) -> None:
        """
        :param vpc: The VPC the groups belong to.
        :param app_port: Port the application listens on inside the instances.
            Default: 80 (nginx).
        :param listener_ports: Ports the load balancer accepts from the internet: 80, 443
            and explicit ports above 1023 (never remote-administration ports such as 3389).
            Default: 80 and 443.
        :param admin_cidrs: IPv4 CIDRs allowed to SSH to the instances, e.g. your own
            address as a /32. Private RFC 1918 ranges of any size; public ranges /24 or
            narrower and at most 1024 public addresses in all. Default: none, and no SSH rule
            or admin group exists at all: reach instances with SSM Session Manager.
        :param dual_stack: Also open ``listener_ports`` to ``::/0``, for a dual-stack load
            balancer. Default: IPv4 only.
        :param clients: Who may reach ``listener_ports``, e.g. ``ec2.Peer.ipv4(vpc.vpc_cidr_block)``
            for an internal load balancer. Default: anywhere (``0.0.0.0/0``, and ``::/0`` with
            ``dual_stack``).
        :param shared_load_balancer: A load balancer of someone else's that the instances
            serve behind (its listener or the load balancer itself): ``app_port`` is open to
            its security groups, and no load-balancer group is created (``load_balancer`` is
            None). Default: a load-balancer group of its own.
        """
        super().__init__(scope, construct_id)
        errors = PropErrors("WebSecurityGroups")
        if not parent_checked():  # a parent (WebTier) ran this check already
            self.check(
                errors, app_port=app_port, listener_ports=listener_ports, admin_cidrs=admin_cidrs
            )
        errors.raise_if_any()

        self.app_port = app_port

        self.load_balancer: ec2.SecurityGroup | None = None
        if shared_load_balancer is None:
            self.load_balancer = self._load_balancer_group(vpc, listener_ports, dual_stack, clients)

        self.instances = ec2.SecurityGroup(
            self,
            "Instances",
            vpc=vpc,
            description=f"Web instances: port {app_port} from the load balancer only",
            allow_all_outbound=True,
        )
        self.instances.connections.allow_from(
            shared_load_balancer or self.load_balancer,  # type: ignore[arg-type]
            ec2.Port.tcp(app_port),
            "Application traffic from the load balancer",
        )

        self.admin: ec2.SecurityGroup | None = None
        cidrs = unique(admin_cidrs)
        if cidrs:
            self.admin = ec2.SecurityGroup(
                self,
                "Admin",
                vpc=vpc,
                description="Administrator SSH from named addresses only",
                allow_all_outbound=True,
            )
            for cidr in cidrs:
                self.admin.add_ingress_rule(
                    ec2.Peer.ipv4(cidr), ec2.Port.tcp(SSH_PORT), f"SSH from admin {cidr}"
                )

        self._connections = ec2.Connections(
            security_groups=[self.instances], default_port=ec2.Port.tcp(app_port)
        )

    def _load_balancer_group(
        self,
        vpc: ec2.IVpc,
        listener_ports: Sequence[int],
        dual_stack: bool,
        clients: ec2.IPeer | None,
    ) -> ec2.SecurityGroup:
        group = ec2.SecurityGroup(
            self,
            "LoadBalancer",
            vpc=vpc,
            description="Web load balancer: HTTP/HTTPS from the internet"
            if clients is None
            else "Web load balancer: HTTP/HTTPS from its clients",
            allow_all_outbound=True,
        )
        for port in dict.fromkeys(listener_ports):
            if clients is not None:
                group.add_ingress_rule(clients, ec2.Port.tcp(port), f"Web traffic on {port}")
                continue
            group.add_ingress_rule(
                ec2.Peer.any_ipv4(), ec2.Port.tcp(port), f"Web traffic on {port} (IPv4)"
            )
            if dual_stack:
                group.add_ingress_rule(
                    ec2.Peer.any_ipv6(), ec2.Port.tcp(port), f"Web traffic on {port} (IPv6)"
                )
        if clients is not None:
            return group
        acknowledge(
            group,
            {
                "AwsSolutions-EC23": "A public web load balancer must accept 80/443 from "
                "anywhere; port 80 only redirects or serves plain HTTP by choice.",
            },
        )
        if 80 in listener_ports:
            skip_checkov(
                group,
                {
                    "CKV_AWS_260": "A public web load balancer accepts port 80 from anywhere: "
                    "it redirects to HTTPS when a certificate is given, or serves plain HTTP "
                    "by choice when there is none.",
                },
            )
        return group

    @property
    def connections(self) -> ec2.Connections:
        """The instance group (what a database lets in); default port: ``app_port``."""
        return self._connections

    @property
    def instance_groups(self) -> list[ec2.ISecurityGroup]:
        """Groups an instance of the tier wears: the instance group, plus admin if any."""
        groups: list[ec2.ISecurityGroup] = [self.instances]
        if self.admin is not None:
            groups.append(self.admin)
        return groups


__all__ = [
    "ADMIN_PORTS",
    "SSH_PORT",
    "WebSecurityGroups",
    "check_admin_cidrs",
    "check_app_port",
    "check_security_groups",
]
