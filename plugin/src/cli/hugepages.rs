//! Transparent huge pages for the heap when a large plan is checked.
//!
//! A check of a 100 MB plan builds about 100 MB of values on the heap, and with 4 KiB pages
//! the kernel clears and maps each page on its first touch: about 24,000 page faults, 13% of
//! the check's CPU time (`perf stat -e page-faults`). Most distributions (Debian, Ubuntu,
//! the GitHub runners) set transparent huge pages to `madvise`: a process gets 2 MiB pages
//! only where it asks for them with `madvise(MADV_HUGEPAGE)`. glibc's allocator asks for its
//! heap when the tunable `glibc.malloc.hugetlb=1` is set (glibc 2.35 and later; see "Memory
//! Allocation Tunables" in the glibc manual), which halves the page faults of that check and
//! takes about 5% off its CPU time, for 1% more peak memory (issue 11's `make bench`, measured
//! in `docs/performance-log.md`).
//!
//! glibc reads its tunables once, from the environment, before `main`. So a plan-reading
//! command given a plan file of [`LARGE`] bytes (32 MiB) or more starts itself again at once, with the
//! tunable added to `GLIBC_TUNABLES` and the same arguments; nothing has been read, written
//! or started before. Small plans, standard input, other systems and C libraries, and
//! kernels where `madvise` would change nothing (`always`, `never`) run as they are. A user
//! who sets `glibc.malloc.hugetlb` in `GLIBC_TUNABLES` (to 0, say) keeps that choice.

// Elsewhere only the tests use the decision.
#![cfg_attr(not(all(target_os = "linux", target_env = "gnu")), allow(dead_code))]

use std::ffi::{OsStr, OsString};

/// Plan files at least this large are worth the second start. Starting again costs 1.5–3 ms
/// (`perf stat -r 40` of a check of a 10 MB plan with and without it); huge pages save about
/// 0.08 ms per MB of plan (8 ms on the 100 MB plan), so they pay from about 20 MB.
pub const LARGE: u64 = 32 << 20;

/// The tunable glibc's allocator reads to advise its heap for huge pages.
const TUNABLE: &str = "glibc.malloc.hugetlb";

/// Where Linux shows the transparent huge page mode, the one in force in brackets.
const THP_MODE: &str = "/sys/kernel/mm/transparent_hugepage/enabled";

/// Start this process again with huge pages advised for its heap, when `plans` (the plan
/// arguments) name a large plan file and it would change something; returns when it does
/// not (or cannot) and the command goes on as it is.
pub fn restart_for_large_plans(plans: &[String]) {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        use std::os::unix::process::CommandExt;
        let large = plans.iter().any(|p| {
            p != "-" && std::fs::metadata(p).is_ok_and(|m| m.is_file() && m.len() >= LARGE)
        });
        if !large {
            return;
        }
        let mode = std::fs::read_to_string(THP_MODE).unwrap_or_default();
        let Some(tunables) = tunables_for(std::env::var_os("GLIBC_TUNABLES").as_deref(), &mode)
        else {
            return;
        };
        let mut args = std::env::args_os();
        let argv0 = args.next().unwrap_or_else(|| "ecsnet".into());
        // `exec` returns only when it failed (no /proc, say): then go on without.
        let _ = std::process::Command::new("/proc/self/exe")
            .arg0(argv0)
            .args(args)
            .env("GLIBC_TUNABLES", tunables)
            .exec();
    }
    #[cfg(not(all(target_os = "linux", target_env = "gnu")))]
    let _ = plans;
}

/// The `GLIBC_TUNABLES` value to start again with, given the current one and the kernel's
/// transparent huge page mode (the text of [`THP_MODE`]); `None` when starting again would
/// change nothing: the mode is not `madvise`, or the tunable is set already (by the user,
/// or by the start before this one).
fn tunables_for(current: Option<&OsStr>, thp_mode: &str) -> Option<OsString> {
    if !thp_mode.contains("[madvise]") {
        return None;
    }
    let setting = format!("{TUNABLE}=1");
    match current {
        None => Some(setting.into()),
        Some(c) if c.is_empty() => Some(setting.into()),
        Some(c) => {
            // Tunables are `name=value` pairs separated by colons.
            let text = c.to_string_lossy();
            if text
                .split(':')
                .any(|t| t.split('=').next() == Some(TUNABLE))
            {
                return None;
            }
            let mut v = c.to_os_string();
            v.push(":");
            v.push(setting);
            Some(v)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MADVISE: &str = "always [madvise] never\n";

    #[test]
    fn the_tunable_is_added_only_in_madvise_mode() {
        assert_eq!(
            tunables_for(None, MADVISE),
            Some(OsString::from("glibc.malloc.hugetlb=1"))
        );
        assert_eq!(
            tunables_for(Some(OsStr::new("")), MADVISE),
            Some(OsString::from("glibc.malloc.hugetlb=1"))
        );
        assert_eq!(tunables_for(None, "[always] madvise never\n"), None);
        assert_eq!(tunables_for(None, "always madvise [never]\n"), None);
        // No transparent huge pages in this kernel: the file cannot be read.
        assert_eq!(tunables_for(None, ""), None);
    }

    #[test]
    fn other_tunables_are_kept_and_a_users_choice_wins() {
        assert_eq!(
            tunables_for(Some(OsStr::new("glibc.malloc.arena_max=2")), MADVISE),
            Some(OsString::from(
                "glibc.malloc.arena_max=2:glibc.malloc.hugetlb=1"
            ))
        );
        for set in [
            "glibc.malloc.hugetlb=0",
            "glibc.malloc.hugetlb=1",
            "glibc.malloc.arena_max=2:glibc.malloc.hugetlb=2",
        ] {
            assert_eq!(tunables_for(Some(OsStr::new(set)), MADVISE), None, "{set}");
        }
        // A tunable whose name only starts like it is another one.
        assert_eq!(
            tunables_for(Some(OsStr::new("glibc.malloc.hugetlbx=1")), MADVISE),
            Some(OsString::from(
                "glibc.malloc.hugetlbx=1:glibc.malloc.hugetlb=1"
            ))
        );
    }
}
