//! Terraform's plugin protocol 6 for Rust providers served with tonic (through the
//! `goplugin` crate): the generated `tfplugin6` messages and `Provider` service in [`pb`],
//! and in [`codec`] the cty values and types that its `DynamicValue`s carry (msgpack and
//! JSON). Shared by ecsnet's provider (provider-defined functions) and the test stand-in
//! for `hashicorp/aws`.

pub mod codec;

pub mod pb {
    //! Generated tfplugin6 messages and the Provider service (protocol 6.5, which Terraform
    //! 1.8 and later speak: later minor versions are wire-compatible).
    #![allow(clippy::all, clippy::pedantic, missing_docs)]
    tonic::include_proto!("tfplugin6");
}

use codec::{json, msgpack, Type, Value};

/// Decodes a `DynamicValue` (msgpack, or JSON when that is what came) as `ty`; an absent or
/// empty one is null.
pub fn decode(dv: Option<&pb::DynamicValue>, ty: &Type) -> Result<Value, String> {
    let Some(dv) = dv else { return Ok(Value::Null) };
    if !dv.msgpack.is_empty() {
        return msgpack::decode(&dv.msgpack, ty).map_err(|e| e.to_string());
    }
    if !dv.json.is_empty() {
        let j: serde_json::Value = serde_json::from_slice(&dv.json).map_err(|e| e.to_string())?;
        return json::from_json(&j, ty);
    }
    Ok(Value::Null)
}

/// Encodes `v` as a msgpack `DynamicValue` of type `ty`.
pub fn encode(v: &Value, ty: &Type) -> Result<pb::DynamicValue, String> {
    Ok(pb::DynamicValue {
        msgpack: msgpack::encode(v, ty).map_err(|e| e.to_string())?,
        json: Vec::new(),
    })
}
