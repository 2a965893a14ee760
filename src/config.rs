//! Settings that come from the environment, read in one place.

/// `SALESPROC_NO_INDEX=1` bypasses the summary index (read every record).
pub fn index_enabled() -> bool {
    std::env::var_os("SALESPROC_NO_INDEX").is_none_or(|v| v.is_empty() || v == "0")
}

/// The lock wait limit in seconds: `SALESPROC_LOCK_TIMEOUT`, default 30.
pub fn lock_timeout_secs() -> f64 {
    std::env::var("SALESPROC_LOCK_TIMEOUT")
        .ok()
        .and_then(|v| v.trim().parse::<f64>().ok())
        .filter(|v| v.is_finite() && *v >= 0.0)
        .unwrap_or(30.0)
}

/// `SALESPROC_DEBUG_INDEX=1` reports on stderr how each scan used the index
/// (for tests and for diagnosing a slow folder).
pub fn debug_index() -> bool {
    std::env::var_os("SALESPROC_DEBUG_INDEX").is_some_and(|v| !v.is_empty() && v != "0")
}
