//! Tests of the whole analysis on models built with `model::testing`.

use super::*;
