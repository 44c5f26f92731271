//! Ingestion benchmark: generates N synthetic drproof CSV events in a temporary folder (never
//! committed), loads them with `drproof::evidence::load`, and prints the time, events per
//! second and memory growth (peak RSS from /proc/self/status).
//!
//! `cargo run --release --example ingest_bench -- [EVENTS] [--jsonl] [--threads N] [--keep DIR]`
//! (default 10,000,000 events, about 800 MB of CSV). `--keep DIR` generates into DIR and
//! reuses the file on later runs (for profiling the load alone).

use drproof::declarations::{
    BackupPolicy, Declarations, Defaults, EvidenceSource, Pos, System, Trigger,
};
use drproof::duration::Duration;
use drproof::evidence::{load, LoadOptions};
use std::io::Write;
use std::time::Instant;

const SYSTEMS: usize = 50;

fn status_kib(key: &str) -> u64 {
    let text = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    text.lines()
        .find_map(|l| l.strip_prefix(key))
        .and_then(|v| v.trim().trim_end_matches(" kB").trim().parse().ok())
        .unwrap_or(0)
}

fn system(i: usize) -> System {
    System {
        id: format!("system-{i:02}"),
        name: None,
        tier: None,
        owner: None,
        rpo: Duration::from_secs(86_400),
        rto: Duration::from_secs(3_600),
        depends_on: Vec::new(),
        runbook: None,
        runbook_declared: None,
        runbook_required: false,
        runbook_review_max_age: Duration::from_secs(86_400),
        onboarded: None,
        backups: vec![BackupPolicy {
            id: "hourly".into(),
            trigger: Trigger::Every(Duration::from_secs(3_600)),
            grace: None,
            retention: None,
            offsite: false,
            pos: Pos::default(),
        }],
        restore_test_max_age: Duration::from_secs(86_400),
        warn_ratio: drproof::ratio::Ratio::new(8, 10),
        pos: Pos::default(),
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let count: u64 = args
        .iter()
        .find_map(|a| a.replace('_', "").parse().ok())
        .unwrap_or(10_000_000);
    let jsonl = args.iter().any(|a| a == "--jsonl");
    let threads = args
        .iter()
        .position(|a| a == "--threads")
        .and_then(|i| args.get(i + 1))
        .and_then(|t| t.parse().ok())
        .unwrap_or(0);

    let keep = args
        .iter()
        .position(|a| a == "--keep")
        .and_then(|i| args.get(i + 1))
        .map(std::path::PathBuf::from);
    let temp = tempfile::tempdir()?;
    let dir = keep.unwrap_or_else(|| temp.path().to_path_buf());
    let name = if jsonl {
        format!("events-{count}.jsonl")
    } else {
        format!("events-{count}.csv")
    };
    let name = name.as_str();
    let path = dir.join(name);
    let generated = Instant::now();
    if !path.exists() {
        let mut out = std::io::BufWriter::with_capacity(1 << 20, std::fs::File::create(&path)?);
        if !jsonl {
            writeln!(
                out,
                "system,kind,status,started_at,finished_at,policy,size_bytes"
            )?;
        }
        // Deterministic pseudo-random order (not sorted: the loader must sort).
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        let base = 1_767_225_600i64; // 2026-01-01
        for i in 0..count {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let sys = (x % SYSTEMS as u64) as usize;
            let start = base + (i as i64 / SYSTEMS as i64) * 3600 + (x >> 40) as i64 % 600;
            let end = start + 60 + (x >> 20) as i64 % 3000;
            let st = chrono::DateTime::from_timestamp(start, 0)
                .unwrap()
                .format("%Y-%m-%dT%H:%M:%SZ");
            let en = chrono::DateTime::from_timestamp(end, 0)
                .unwrap()
                .format("%Y-%m-%dT%H:%M:%SZ");
            let status = if x.is_multiple_of(50) {
                "failed"
            } else {
                "success"
            };
            let size = (x >> 8) % 100_000_000;
            if jsonl {
                writeln!(out, "{{\"system\":\"system-{sys:02}\",\"kind\":\"backup\",\"status\":\"{status}\",\"started_at\":\"{st}\",\"finished_at\":\"{en}\",\"policy\":\"hourly\",\"size_bytes\":{size}}}")?;
            } else {
                writeln!(
                    out,
                    "system-{sys:02},backup,{status},{st},{en},hourly,{size}"
                )?;
            }
        }
        out.flush()?;
    }
    let bytes = std::fs::metadata(&path)?.len();
    eprintln!(
        "generated {count} events, {:.0} MB, in {:.1?}",
        bytes as f64 / 1e6,
        generated.elapsed()
    );
    // Warm the page cache so the figure measures parsing, not the disk.
    std::io::copy(&mut std::fs::File::open(&path)?, &mut std::io::sink())?;

    let decl = Declarations {
        path: dir.as_path().join("drproof.yaml"),
        base_dir: dir.as_path().to_path_buf(),
        organization: None,
        timezone: chrono_tz::UTC,
        defaults: Defaults::default(),
        tiers: Vec::new(),
        systems: (0..SYSTEMS).map(system).collect(),
        checks: Default::default(),
        evidence: vec![EvidenceSource {
            path: name.into(),
            format: None,
            system: None,
            systems_by: Default::default(),
            timezone: None,
            policy: None,
            pos: Pos::default(),
        }],
        waivers: Vec::new(),
    };
    let rss_before = status_kib("VmRSS:");
    let started = Instant::now();
    let evidence = load(
        &decl,
        &[],
        &LoadOptions {
            lenient: false,
            threads,
        },
    )?;
    let elapsed = started.elapsed();
    let peak = status_kib("VmHWM:");
    let events = evidence.events.len() as u64;
    println!(
        "format: {}",
        if jsonl {
            "drproof-jsonl"
        } else {
            "drproof-csv"
        }
    );
    println!(
        "events read: {} (kept {events}), {:.0} MB",
        evidence.inputs[0].records.unwrap_or(0),
        bytes as f64 / 1e6
    );
    println!("time: {:.3} s", elapsed.as_secs_f64());
    println!(
        "throughput: {:.2} M events/s, {:.0} MB/s",
        count as f64 / elapsed.as_secs_f64() / 1e6,
        bytes as f64 / elapsed.as_secs_f64() / 1e6
    );
    println!(
        "peak RSS: {:.0} MB, growth {:.1} bytes/event (Event is {} bytes)",
        peak as f64 / 1024.0,
        (peak.saturating_sub(rss_before) * 1024) as f64 / count.max(1) as f64,
        std::mem::size_of::<drproof::evidence::Event>()
    );
    println!("sha256: {}", evidence.inputs[0].sha256);
    Ok(())
}
