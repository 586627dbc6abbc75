//! `container_definitions` JSON text straight into [`Container`]s.
//!
//! The string is JSON inside JSON, and a task definition's containers carry much that no rule
//! reads (environment, command, mount points, health checks). Parsing it into a
//! `serde_json::Value` tree first cost about 10 bytes of memory per byte of text, all kept in
//! the model, and a 200,000-mapping definition over 1 GB. So the text is read in one pass
//! with serde visitors that keep only what the model reads: the modelled members as typed
//! fields, and in `Container::raw` the few members rules read through it (`image`,
//! `logConfiguration`, `secrets`, `systemControls`), cut down to what its accessors read.
//!
//! It accepts exactly what parsing into a `Value` accepts: everything it does not keep is
//! still walked with `deserialize_any` (numbers range-checked, strings unescaped), and a
//! member given twice keeps its last value, as in a `Value` object.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use serde_json::Value;

use crate::model::{Container, PortMapping};

/// Why a container definitions text gives no containers.
#[derive(Debug)]
pub(super) enum Problem {
    /// Not valid JSON: serde_json's message.
    Invalid(String),
    /// Valid JSON, but not an array.
    NotArray,
    /// Element `i` is not an object (the first such).
    NotObject(usize),
}

/// Decode a `container_definitions` string.
pub(super) fn decode(text: &str) -> Result<Vec<Container>, Problem> {
    match serde_json::from_str::<Top>(text) {
        Ok(Top::List(items, None)) => Ok(items),
        Ok(Top::List(_, Some(i))) => Err(Problem::NotObject(i)),
        Ok(Top::Other) => Err(Problem::NotArray),
        // The message of the parser the model used before, word for word (error path only).
        Err(e) => Err(Problem::Invalid(
            serde_json::from_str::<Value>(text)
                .err()
                .map_or(e.to_string(), |e| e.to_string()),
        )),
    }
}

/// Visitor methods for the kinds of JSON value a visitor does not want: each gives `$v`,
/// after walking what it was given.
macro_rules! other_scalars {
    ($t:ty, $v:expr) => {
        fn visit_bool<E: de::Error>(self, _: bool) -> Result<$t, E> {
            Ok($v)
        }
        fn visit_i64<E: de::Error>(self, _: i64) -> Result<$t, E> {
            Ok($v)
        }
        fn visit_u64<E: de::Error>(self, _: u64) -> Result<$t, E> {
            Ok($v)
        }
        fn visit_f64<E: de::Error>(self, _: f64) -> Result<$t, E> {
            Ok($v)
        }
        fn visit_str<E: de::Error>(self, _: &str) -> Result<$t, E> {
            Ok($v)
        }
        fn visit_unit<E: de::Error>(self) -> Result<$t, E> {
            Ok($v)
        }
    };
}

macro_rules! other_seq {
    ($t:ty, $v:expr) => {
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<$t, A::Error> {
            while seq.next_element::<Skip>()?.is_some() {}
            Ok($v)
        }
    };
}

macro_rules! other_map {
    ($t:ty, $v:expr) => {
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<$t, A::Error> {
            while map.next_entry::<Skip, Skip>()?.is_some() {}
            Ok($v)
        }
    };
}

/// Any JSON value, walked as a `Value` would be read, and dropped.
struct Skip;

impl<'de> Deserialize<'de> for Skip {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Skip;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("any JSON value")
            }
            other_scalars!(Skip, Skip);
            other_seq!(Skip, Skip);
            other_map!(Skip, Skip);
        }
        d.deserialize_any(V)
    }
}

/// A JSON value as far as the model reads a member: a string, a number (as an `i64` when it
/// is one, as `Value::as_i64` gives it), a boolean, or anything else.
enum Scalar {
    Str(String),
    Int(Option<i64>),
    Bool(bool),
    Other,
}

impl Scalar {
    fn string(self) -> Option<String> {
        match self {
            Scalar::Str(s) => Some(s),
            _ => None,
        }
    }

    /// Container definitions written by hand sometimes quote numbers and booleans.
    fn int(self) -> Option<i64> {
        match self {
            Scalar::Int(i) => i,
            Scalar::Str(s) => s.trim().parse().ok(),
            _ => None,
        }
    }

    fn bool(self) -> Option<bool> {
        match self {
            Scalar::Bool(b) => Some(b),
            Scalar::Str(s) if s == "true" => Some(true),
            Scalar::Str(s) if s == "false" => Some(false),
            _ => None,
        }
    }
}

impl<'de> Deserialize<'de> for Scalar {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Scalar;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("any JSON value")
            }
            fn visit_bool<E: de::Error>(self, b: bool) -> Result<Scalar, E> {
                Ok(Scalar::Bool(b))
            }
            fn visit_i64<E: de::Error>(self, i: i64) -> Result<Scalar, E> {
                Ok(Scalar::Int(Some(i)))
            }
            fn visit_u64<E: de::Error>(self, u: u64) -> Result<Scalar, E> {
                Ok(Scalar::Int(i64::try_from(u).ok()))
            }
            fn visit_f64<E: de::Error>(self, _: f64) -> Result<Scalar, E> {
                Ok(Scalar::Int(None))
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<Scalar, E> {
                Ok(Scalar::Str(s.to_string()))
            }
            fn visit_string<E: de::Error>(self, s: String) -> Result<Scalar, E> {
                Ok(Scalar::Str(s))
            }
            fn visit_unit<E: de::Error>(self) -> Result<Scalar, E> {
                Ok(Scalar::Other)
            }
            other_seq!(Scalar, Scalar::Other);
            other_map!(Scalar, Scalar::Other);
        }
        d.deserialize_any(V)
    }
}

/// A member name, matched without allocating when it has no escapes.
struct Key<T>(T);

/// Decides which member a name is (`None`: one the model does not read).
trait Members: Sized {
    fn of(name: &str) -> Option<Self>;
}

impl<'de, T: Members> Deserialize<'de> for Key<Option<T>> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<T>(std::marker::PhantomData<T>);
        impl<'de, T: Members> Visitor<'de> for V<T> {
            type Value = Key<Option<T>>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a member name")
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<Self::Value, E> {
                Ok(Key(T::of(s)))
            }
        }
        d.deserialize_str(V(std::marker::PhantomData))
    }
}

/// A list whose elements are each read with `T`; anything but a list is an empty one.
struct List<T>(Vec<T>);

impl<'de, T: Deserialize<'de>> Deserialize<'de> for List<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<T>(std::marker::PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for V<T> {
            type Value = List<T>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("any JSON value")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<List<T>, A::Error> {
                let mut out = Vec::new();
                while let Some(x) = seq.next_element()? {
                    out.push(x);
                }
                Ok(List(out))
            }
            other_scalars!(List<T>, List(Vec::new()));
            other_map!(List<T>, List(Vec::new()));
        }
        d.deserialize_any(V(std::marker::PhantomData))
    }
}

/// The strings of a list member (`links`, `dnsServers`, ...): other elements are left out.
fn strings(list: List<Scalar>) -> Vec<String> {
    list.0.into_iter().filter_map(Scalar::string).collect()
}

/// An object read member by member with `$visit` into `$t` (from `$empty`); any other kind
/// of value gives `$other`.
macro_rules! object_or {
    ($t:ty, $name:literal, $empty:expr, $other:expr, $visit:expr) => {
        impl<'de> Deserialize<'de> for $t {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                struct V;
                impl<'de> Visitor<'de> for V {
                    type Value = $t;
                    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                        f.write_str($name)
                    }
                    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<$t, A::Error> {
                        let mut out = $empty;
                        #[allow(clippy::redundant_closure_call)]
                        ($visit)(&mut out, &mut map)?;
                        Ok(out)
                    }
                    other_scalars!($t, $other);
                    other_seq!($t, $other);
                }
                d.deserialize_any(V)
            }
        }
    };
}

/// `portMappings[]`: an element that is not an object maps to no ports, protocol "tcp".
struct Mapping(PortMapping);

enum MappingKey {
    ContainerPort,
    HostPort,
    Protocol,
    Name,
    AppProtocol,
    ContainerPortRange,
    HostPortRange,
}

impl Members for MappingKey {
    fn of(name: &str) -> Option<Self> {
        Some(match name {
            "containerPort" => MappingKey::ContainerPort,
            "hostPort" => MappingKey::HostPort,
            "protocol" => MappingKey::Protocol,
            "name" => MappingKey::Name,
            "appProtocol" => MappingKey::AppProtocol,
            "containerPortRange" => MappingKey::ContainerPortRange,
            "hostPortRange" => MappingKey::HostPortRange,
            _ => return None,
        })
    }
}

fn no_ports() -> Mapping {
    Mapping(PortMapping {
        container_port: None,
        host_port: None,
        protocol: "tcp".to_string(),
        name: None,
        app_protocol: None,
        container_port_range: None,
        host_port_range: None,
    })
}

object_or!(
    Mapping,
    "a port mapping",
    no_ports(),
    no_ports(),
    |out: &mut Mapping, map: &mut A| -> Result<(), A::Error> {
        let p = &mut out.0;
        let mut protocol = None;
        while let Some(Key(k)) = map.next_key::<Key<Option<MappingKey>>>()? {
            let Some(k) = k else {
                map.next_value::<Skip>()?;
                continue;
            };
            let v: Scalar = map.next_value()?;
            match k {
                MappingKey::ContainerPort => p.container_port = v.int(),
                MappingKey::HostPort => p.host_port = v.int(),
                MappingKey::Protocol => protocol = v.string(),
                MappingKey::Name => p.name = v.string(),
                MappingKey::AppProtocol => p.app_protocol = v.string(),
                MappingKey::ContainerPortRange => p.container_port_range = v.string(),
                MappingKey::HostPortRange => p.host_port_range = v.string(),
            }
        }
        if let Some(s) = protocol {
            p.protocol = s.to_ascii_lowercase();
        }
        Ok(())
    }
);

/// An object's one member that the model reads (`K` names it), when the last time it is
/// given it is a string (as a `Value` object keeps the last); `None` for any other value.
struct Named<K>(Option<String>, PhantomData<K>);

impl<'de, K: Members> Deserialize<'de> for Named<K> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<K>(PhantomData<K>);
        impl<'de, K: Members> Visitor<'de> for V<K> {
            type Value = Named<K>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Named<K>, A::Error> {
                let mut out = None;
                while let Some(Key(k)) = map.next_key::<Key<Option<K>>>()? {
                    match k {
                        Some(_) => out = map.next_value::<Scalar>()?.string(),
                        None => {
                            map.next_value::<Skip>()?;
                        }
                    }
                }
                Ok(Named(out, PhantomData))
            }
            other_scalars!(Named<K>, Named(None, PhantomData));
            other_seq!(Named<K>, Named(None, PhantomData));
        }
        d.deserialize_any(V(PhantomData))
    }
}

/// A member name that [`Named`] reads; the others are walked and dropped.
macro_rules! member_name {
    ($t:ident, $name:literal) => {
        struct $t;

        impl Members for $t {
            fn of(name: &str) -> Option<Self> {
                (name == $name).then_some($t)
            }
        }
    };
}

member_name!(HostnameKey, "hostname");
member_name!(LogDriverKey, "logDriver");
member_name!(ValueFromKey, "valueFrom");

/// `systemControls[]`: an element's `namespace` and `value`, each when a string.
#[derive(Default)]
struct Control {
    namespace: Option<String>,
    value: Option<String>,
}

enum ControlKey {
    Namespace,
    Value,
}

impl Members for ControlKey {
    fn of(name: &str) -> Option<Self> {
        match name {
            "namespace" => Some(ControlKey::Namespace),
            "value" => Some(ControlKey::Value),
            _ => None,
        }
    }
}

object_or!(
    Control,
    "a system control",
    Control::default(),
    Control::default(),
    |out: &mut Control, map: &mut A| -> Result<(), A::Error> {
        while let Some(Key(k)) = map.next_key::<Key<Option<ControlKey>>>()? {
            match k {
                Some(ControlKey::Namespace) => out.namespace = map.next_value::<Scalar>()?.string(),
                Some(ControlKey::Value) => out.value = map.next_value::<Scalar>()?.string(),
                None => {
                    map.next_value::<Skip>()?;
                }
            }
        }
        Ok(())
    }
);

impl Control {
    /// As `Container::system_controls` reads it: elements without a string namespace
    /// give nothing.
    fn into_value(self) -> Option<Value> {
        let mut m = serde_json::Map::new();
        m.insert("namespace".to_string(), Value::String(self.namespace?));
        if let Some(v) = self.value {
            m.insert("value".to_string(), Value::String(v));
        }
        Some(Value::Object(m))
    }
}

/// One member object `{name: value}`, as `Container::raw` holds what its accessors read.
fn one_member(name: &str, value: String) -> Value {
    let mut m = serde_json::Map::new();
    m.insert(name.to_string(), Value::String(value));
    Value::Object(m)
}

/// One element of the list: a container, or `None` when it is not an object.
struct Item(Option<Container>);

enum ContainerKey {
    Name,
    Essential,
    PortMappings,
    Links,
    Hostname,
    ExtraHosts,
    DnsServers,
    DnsSearchDomains,
    DisableNetworking,
    /// Kept in `Container::raw`, as far as its accessors read it.
    Raw(RawKey),
}

/// The members rules read through `Container::raw` (its accessors).
#[derive(Clone, Copy)]
enum RawKey {
    Image,
    LogConfiguration,
    Secrets,
    SystemControls,
}

impl RawKey {
    fn name(self) -> &'static str {
        match self {
            RawKey::Image => "image",
            RawKey::LogConfiguration => "logConfiguration",
            RawKey::Secrets => "secrets",
            RawKey::SystemControls => "systemControls",
        }
    }

    /// The member's value cut down to what `Container`'s accessors read of it: a whole
    /// `serde_json::Value` tree of every log option and secret name was most of the
    /// decoding's work. A value they cannot read (not a string, not an object or list)
    /// becomes `null`, which they cannot read either.
    fn read<'de, A: MapAccess<'de>>(self, map: &mut A) -> Result<Value, A::Error> {
        Ok(match self {
            RawKey::Image => map
                .next_value::<Scalar>()?
                .string()
                .map_or(Value::Null, Value::String),
            RawKey::LogConfiguration => map
                .next_value::<Named<LogDriverKey>>()?
                .0
                .map_or(Value::Null, |d| one_member("logDriver", d)),
            RawKey::Secrets => Value::Array(
                map.next_value::<List<Named<ValueFromKey>>>()?
                    .0
                    .into_iter()
                    .filter_map(|s| Some(one_member("valueFrom", s.0?)))
                    .collect(),
            ),
            RawKey::SystemControls => Value::Array(
                map.next_value::<List<Control>>()?
                    .0
                    .into_iter()
                    .filter_map(Control::into_value)
                    .collect(),
            ),
        })
    }
}

/// What the model reads of a container definition: the members [`ContainerKey::of`] takes,
/// those the network rules read ([`NETWORK_MEMBERS`] of them, first), then those
/// `Container::raw`'s accessors read. The source overlay evaluates and keeps only these of
/// the container definitions it settles.
pub(crate) const READ_MEMBERS: &[&str] = &[
    "name",
    "essential",
    "portMappings",
    "links",
    "hostname",
    "extraHosts",
    "dnsServers",
    "dnsSearchDomains",
    "disableNetworking",
    "image",
    "logConfiguration",
    "secrets",
    "systemControls",
];

/// How many of [`READ_MEMBERS`], first, the network rules read.
pub(super) const NETWORK_MEMBERS: usize = 9;

/// Of the [`READ_MEMBERS`] that are objects, the members the model reads, where it does
/// not read them whole ([`RawKey::read`]).
pub(crate) const READ_WITHIN: &[(&str, &[&str])] = &[("logConfiguration", &["logDriver"])];

impl Members for ContainerKey {
    fn of(name: &str) -> Option<Self> {
        Some(match name {
            "name" => ContainerKey::Name,
            "essential" => ContainerKey::Essential,
            "portMappings" => ContainerKey::PortMappings,
            "links" => ContainerKey::Links,
            "hostname" => ContainerKey::Hostname,
            "extraHosts" => ContainerKey::ExtraHosts,
            "dnsServers" => ContainerKey::DnsServers,
            "dnsSearchDomains" => ContainerKey::DnsSearchDomains,
            "disableNetworking" => ContainerKey::DisableNetworking,
            "image" => ContainerKey::Raw(RawKey::Image),
            "logConfiguration" => ContainerKey::Raw(RawKey::LogConfiguration),
            "secrets" => ContainerKey::Raw(RawKey::Secrets),
            "systemControls" => ContainerKey::Raw(RawKey::SystemControls),
            _ => return None,
        })
    }
}

fn empty_container() -> Container {
    Container {
        name: String::new(),
        essential: None,
        port_mappings: Vec::new(),
        links: Vec::new(),
        hostname: None,
        extra_hosts: Vec::new(),
        dns_servers: Vec::new(),
        dns_search_domains: Vec::new(),
        disable_networking: None,
        raw: Value::Object(serde_json::Map::new()),
    }
}

object_or!(
    Item,
    "a container definition",
    Item(Some(empty_container())),
    Item(None),
    |out: &mut Item, map: &mut A| -> Result<(), A::Error> {
        let Some(c) = out.0.as_mut() else {
            return Ok(());
        };
        let mut name = None;
        while let Some(Key(k)) = map.next_key::<Key<Option<ContainerKey>>>()? {
            let Some(k) = k else {
                map.next_value::<Skip>()?;
                continue;
            };
            match k {
                ContainerKey::Name => name = map.next_value::<Scalar>()?.string(),
                ContainerKey::Essential => c.essential = map.next_value::<Scalar>()?.bool(),
                ContainerKey::PortMappings => {
                    c.port_mappings = map
                        .next_value::<List<Mapping>>()?
                        .0
                        .into_iter()
                        .map(|m| m.0)
                        .collect()
                }
                ContainerKey::Links => c.links = strings(map.next_value()?),
                ContainerKey::Hostname => c.hostname = map.next_value::<Scalar>()?.string(),
                ContainerKey::ExtraHosts => {
                    c.extra_hosts = map
                        .next_value::<List<Named<HostnameKey>>>()?
                        .0
                        .into_iter()
                        .filter_map(|h| h.0)
                        .collect()
                }
                ContainerKey::DnsServers => c.dns_servers = strings(map.next_value()?),
                ContainerKey::DnsSearchDomains => c.dns_search_domains = strings(map.next_value()?),
                ContainerKey::DisableNetworking => {
                    c.disable_networking = map.next_value::<Scalar>()?.bool()
                }
                ContainerKey::Raw(key) => {
                    let v = key.read(map)?;
                    if let Value::Object(m) = &mut c.raw {
                        m.insert(key.name().to_string(), v);
                    }
                }
            }
        }
        c.name = name.unwrap_or_default();
        Ok(())
    }
);

/// The whole text: a list of items (with the first that is not an object), or another kind.
enum Top {
    List(Vec<Container>, Option<usize>),
    Other,
}

impl<'de> Deserialize<'de> for Top {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Top;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("any JSON value")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Top, A::Error> {
                let mut out = Vec::new();
                let mut not_object = None;
                let mut i = 0;
                while let Some(Item(c)) = seq.next_element()? {
                    match c {
                        Some(c) if not_object.is_none() => out.push(c),
                        Some(_) => {}
                        None => {
                            not_object.get_or_insert(i);
                        }
                    }
                    i += 1;
                }
                Ok(Top::List(out, not_object))
            }
            other_scalars!(Top, Top::Other);
            other_map!(Top, Top::Other);
        }
        d.deserialize_any(V)
    }
}

/// What the model reads of a container: the fields, and what rules read through `raw`.
#[cfg(test)]
pub(crate) fn seen(c: &Container) -> String {
    format!(
        "{:?} {:?} {:?} {:?} {:?} {:?} {:?} {:?} {:?} | {:?} {:?} {:?} {:?}",
        c.name,
        c.essential,
        c.port_mappings,
        c.links,
        c.hostname,
        c.extra_hosts,
        c.dns_servers,
        c.dns_search_domains,
        c.disable_networking,
        c.image(),
        c.log_driver(),
        c.secret_sources().collect::<Vec<_>>(),
        c.system_controls(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every member of an ECS container definition (the `RegisterTaskDefinition` API's).
    const ALL_MEMBERS: &[&str] = &[
        "command",
        "cpu",
        "credentialSpecs",
        "dependsOn",
        "disableNetworking",
        "dnsSearchDomains",
        "dnsServers",
        "dockerLabels",
        "dockerSecurityOptions",
        "entryPoint",
        "environment",
        "environmentFiles",
        "essential",
        "extraHosts",
        "firelensConfiguration",
        "gpu",
        "healthCheck",
        "hostname",
        "image",
        "interactive",
        "links",
        "linuxParameters",
        "logConfiguration",
        "memory",
        "memoryReservation",
        "mountPoints",
        "name",
        "portMappings",
        "privileged",
        "pseudoTerminal",
        "readonlyRootFilesystem",
        "repositoryCredentials",
        "resourceRequirements",
        "restartPolicy",
        "secrets",
        "startTimeout",
        "stopTimeout",
        "systemControls",
        "ulimits",
        "user",
        "versionConsistency",
        "volumesFrom",
        "workingDirectory",
    ];

    #[test]
    fn the_members_read_are_those_decoded() {
        for m in ALL_MEMBERS {
            assert_eq!(
                ContainerKey::of(m).is_some(),
                READ_MEMBERS.contains(m),
                "{m}: READ_MEMBERS and ContainerKey::of disagree"
            );
        }
        for n in READ_MEMBERS {
            assert!(ContainerKey::of(n).is_some(), "{n} is not decoded");
        }
        for k in super::super::task_definitions::NETWORK_KEYS {
            assert!(READ_MEMBERS.contains(k), "{k}");
        }
        for (n, _) in READ_WITHIN {
            assert!(READ_MEMBERS.contains(n), "{n}");
        }
        // Of `logConfiguration`, `Container::log_driver` reads `logDriver` alone.
        let c = decode(
            r#"[{"name":"a","logConfiguration":{"logDriver":"awslogs","options":{"x":"y"}}}]"#,
        )
        .unwrap();
        assert_eq!(
            c[0].raw["logConfiguration"],
            serde_json::json!({"logDriver": "awslogs"})
        );
    }

    use super::seen;

    /// The decoding through a `serde_json::Value` tree (`task_definitions::container`, the
    /// definition this module must agree with), with its messages.
    fn through_value(text: &str) -> Result<Vec<String>, String> {
        let v: Value = serde_json::from_str(text).map_err(|e| format!("invalid: {e}"))?;
        let Value::Array(items) = v else {
            return Err("not an array".to_string());
        };
        let mut out = Vec::new();
        for (i, item) in items.into_iter().enumerate() {
            if !item.is_object() {
                return Err(format!("not an object: {i}"));
            }
            out.push(seen(&super::super::task_definitions::container(item)));
        }
        Ok(out)
    }

    fn direct(text: &str) -> Result<Vec<String>, String> {
        match decode(text) {
            Ok(cs) => Ok(cs.iter().map(seen).collect()),
            Err(Problem::Invalid(e)) => Err(format!("invalid: {e}")),
            Err(Problem::NotArray) => Err("not an array".to_string()),
            Err(Problem::NotObject(i)) => Err(format!("not an object: {i}")),
        }
    }

    /// A small deterministic generator (xorshift), so failures reproduce.
    struct Gen(u64);

    impl Gen {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }
        fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
            xs[(self.next() % xs.len() as u64) as usize]
        }
    }

    const SCALARS: &[&str] = &[
        "80",
        "-1",
        "0",
        "8080.0",
        "1e3",
        "18446744073709551615",
        "9223372036854775808",
        "\"443\"",
        "\" 22 \"",
        "\"x\"",
        "\"UDP\"",
        "\"Tcp\"",
        "\"true\"",
        "\"false\"",
        "true",
        "false",
        "null",
        "[]",
        "{}",
        "[\"a\",1,null,\"b\"]",
        "{\"hostname\":\"h\",\"ipAddress\":\"10.0.0.1\"}",
        "\"\\u0041\\n\"",
    ];

    /// Member names: what the model reads, and others (one spelled with an escape).
    fn keys() -> Vec<&'static str> {
        let mut keys = super::super::task_definitions::NETWORK_KEYS.to_vec();
        keys.extend(
            [
                RawKey::Image,
                RawKey::LogConfiguration,
                RawKey::Secrets,
                RawKey::SystemControls,
            ]
            .map(RawKey::name),
        );
        keys.extend(["environment", "port\\u004dappings", "cpu"]);
        keys
    }

    const MAPPING_KEYS: &[&str] = &[
        "containerPort",
        "hostPort",
        "protocol",
        "name",
        "appProtocol",
        "containerPortRange",
        "hostPortRange",
        "other",
    ];

    fn value(g: &mut Gen, key: &str, depth: u32) -> String {
        match (key, g.next() % 4) {
            ("portMappings" | "port\\u004dappings", 0..=2) if depth < 2 => {
                let n = g.next() % 4;
                let items: Vec<String> = (0..n)
                    .map(|_| match g.next() % 5 {
                        0 => g.pick(SCALARS).to_string(),
                        _ => object(g, MAPPING_KEYS, depth + 1),
                    })
                    .collect();
                format!("[{}]", items.join(","))
            }
            ("extraHosts" | "secrets" | "systemControls", 0..=2) if depth < 2 => {
                let keys: &[&str] = &["hostname", "valueFrom", "namespace", "value", "name"];
                let n = g.next() % 3;
                let items: Vec<String> = (0..n)
                    .map(|_| match g.next() % 4 {
                        0 => g.pick(SCALARS).to_string(),
                        _ => object(g, keys, depth + 1),
                    })
                    .collect();
                format!("[{}]", items.join(","))
            }
            ("logConfiguration", 0..=1) if depth < 2 => {
                object(g, &["logDriver", "options"], depth + 1)
            }
            _ => g.pick(SCALARS).to_string(),
        }
    }

    fn object(g: &mut Gen, keys: &[&str], depth: u32) -> String {
        let n = g.next() % 7;
        let members: Vec<String> = (0..n)
            .map(|_| {
                let k = g.pick(keys);
                format!("\"{k}\":{}", value(g, k, depth))
            })
            .collect();
        format!("{{{}}}", members.join(","))
    }

    #[test]
    fn decoding_agrees_with_the_value_tree_on_generated_definitions() {
        let keys = keys();
        let mut g = Gen(0x9e37_79b9_7f4a_7c15);
        let mut kinds = std::collections::BTreeSet::new();
        for _ in 0..20_000 {
            let text = match g.next() % 20 {
                0 => g.pick(SCALARS).to_string(),
                1 => {
                    // Cut short or with a stray byte: invalid JSON.
                    let t = object(&mut g, &keys, 0);
                    let cut = (g.next() as usize) % t.len().max(1);
                    format!("[{}", &t[..cut])
                }
                _ => {
                    let n = g.next() % 4;
                    let items: Vec<String> = (0..n)
                        .map(|_| match g.next() % 10 {
                            0 => g.pick(SCALARS).to_string(),
                            _ => object(&mut g, &keys, 0),
                        })
                        .collect();
                    format!("[{}]", items.join(","))
                }
            };
            let want = through_value(&text);
            kinds.insert(match &want {
                Ok(v) if v.is_empty() => "empty".to_string(),
                Ok(_) => "containers".to_string(),
                Err(e) => e.split(':').next().unwrap_or("").to_string(),
            });
            assert_eq!(direct(&text), want, "{text}");
        }
        // Every outcome was exercised.
        assert_eq!(kinds.len(), 5, "{kinds:?}");
    }

    #[test]
    fn numbers_out_of_range_and_deep_nesting_are_refused_as_by_the_value_tree() {
        for text in [
            r#"[{"cpu":1e400}]"#,
            r#"[{"name":"a","environment":[1e999]}]"#,
            &format!("[{{\"x\":{}{}}}]", "[".repeat(200), "]".repeat(200)),
            r#"[{"name":"\ud800"}]"#,
        ] {
            assert!(direct(text).is_err(), "{text}");
            assert_eq!(direct(text), through_value(text), "{text}");
        }
    }

    #[test]
    fn only_what_rules_read_is_kept_in_raw() {
        let text = r#"[{"name":"web","image":"i","environment":[{"name":"A","value":"B"}],
            "logConfiguration":{"logDriver":"awslogs"},"command":["x"],"image":"j"}]"#;
        let cs = decode(text).unwrap();
        assert_eq!(
            cs[0].raw,
            serde_json::json!({"image": "j", "logConfiguration": {"logDriver": "awslogs"}})
        );
    }
}
