//! The comparison part of `cargo xtask bench`: each hot path measured on BMW and on its peer,
//! one right after the other, with the same load generator, and written as a table
//! (`target/bench/report.md`) and a chart of the ratios (`target/bench/chart.svg`).

use crate::bench::{duration, run_wrk};
use crate::dist::Server;

/// One load on one server: throughput, latency under that load, and what it cost the server.
pub struct Load {
    pub rps: f64,
    pub p50: String,
    pub p99: String,
    /// CPU used while loaded, in percent of one core.
    pub cpu: f64,
    /// The most the server has been resident, in MB, after the load.
    pub peak_mb: f64,
}

/// `wrk -t1 -c32 --latency` against `path` on `server`, with one extra header.
pub fn load(server: &Server, path: &str, header: Option<&str>) -> Result<Load, String> {
    let started = (server.cpu_ticks(), std::time::Instant::now());
    let out = run_wrk(&["-t1", "-c32", &duration(), "--latency"], &server.url(path), header)?;
    let cpu = match (started.0, server.cpu_ticks()) {
        (Some(before), Some(after)) => (after - before) as f64 / started.1.elapsed().as_secs_f64(),
        _ => f64::NAN,
    };
    let line = |prefix: &str| {
        out.lines()
            .find_map(|l| l.trim().strip_prefix(prefix).map(|v| v.trim().to_string()))
            .ok_or(format!("no {prefix} in wrk's output:\n{out}"))
    };
    Ok(Load {
        rps: line("Requests/sec:")?.parse().map_err(|_| format!("cannot read wrk's output:\n{out}"))?,
        p50: line("50%")?,
        p99: line("99%")?,
        cpu,
        peak_mb: server.peak_rss_kib().map_or(f64::NAN, |kib| kib as f64 / 1024.0),
    })
}

/// A hot path on BMW against the same request on a peer.
pub struct Pair {
    pub request: &'static str,
    pub peer: &'static str,
    pub bmw: Load,
    pub other: Load,
    /// The issue's target for BMW ÷ peer, when there is one.
    pub target: Option<f64>,
}

impl Pair {
    pub fn ratio(&self) -> f64 {
        self.bmw.rps / self.other.rps
    }
}

pub fn table(pairs: &[Pair]) -> Vec<String> {
    let mut rows = vec![
        "| request | peer | BMW req/s | peer req/s | BMW ÷ peer | target | BMW p50 / p99 | peer p50 / p99 | CPU BMW / peer | peak RSS BMW / peer |".to_string(),
        "|---|---|---|---|---|---|---|---|---|---|".into(),
    ];
    for p in pairs {
        let target = p.target.map_or("—".to_string(), |t| format!("≥ {t:.1}"));
        rows.push(format!(
            "| {} | {} | {:.0} | {:.0} | **{:.2}** | {target} | {} / {} | {} / {} | {:.0} % / {:.0} % | {:.0} MB / {:.0} MB |",
            p.request,
            p.peer,
            p.bmw.rps,
            p.other.rps,
            p.ratio(),
            p.bmw.p50,
            p.bmw.p99,
            p.other.p50,
            p.other.p99,
            p.bmw.cpu,
            p.other.cpu,
            p.bmw.peak_mb,
            p.other.peak_mb,
        ));
    }
    rows
}

/// The ratios as horizontal bars on a log scale centred on 1 (as fast as the peer), each with
/// its target marked. Written out directly: a bar chart is a few rectangles, and a plotting
/// crate would need a font file to lay out its labels.
pub fn chart(pairs: &[Pair]) -> String {
    const LEFT: f64 = 330.0;
    const WIDTH: f64 = 420.0;
    const ROW: f64 = 34.0;
    const TOP: f64 = 52.0;
    // 1/8 to 16: BMW at an eighth of its peer, up to sixteen times it.
    let x = |ratio: f64| LEFT + (ratio.clamp(0.125, 16.0).log2() + 3.0) / 7.0 * WIDTH;
    let height = TOP + ROW * pairs.len() as f64 + 30.0;
    let mut svg = vec![
        format!(
            r#"<svg xmlns="http://www.w3.org/2000/svg" width="840" height="{height:.0}" font-family="sans-serif" font-size="13">"#
        ),
        r#"<rect width="100%" height="100%" fill="white"/>"#.into(),
        r#"<text x="10" y="22" font-weight="bold">BMW ÷ peer, requests per second in the same run (log scale; 1 = as fast as the peer)</text>"#.into(),
        r##"<text x="10" y="40" fill="#555">green: target met · red: target missed · blue: no target · dashed line: the target</text>"##.into(),
    ];
    for tick in [0.125, 0.25, 0.5, 1.0, 2.0, 4.0, 8.0, 16.0] {
        let (tx, stroke) = (x(tick), if tick == 1.0 { "#333" } else { "#ddd" });
        svg.push(format!(
            r##"<line x1="{tx:.1}" y1="{TOP}" x2="{tx:.1}" y2="{:.0}" stroke="{stroke}"/><text x="{tx:.1}" y="{:.0}" text-anchor="middle" fill="#555">{tick}×</text>"##,
            height - 26.0,
            height - 10.0
        ));
    }
    for (i, p) in pairs.iter().enumerate() {
        let y = TOP + ROW * i as f64 + 6.0;
        let (one, end) = (x(1.0), x(p.ratio()));
        // Green: target met; red: missed; blue: no target (reported for comparison).
        let fill = match p.target {
            Some(t) if p.ratio() >= t => "#2a7d4f",
            Some(_) => "#c0392b",
            None => "#5b7db1",
        };
        svg.push(format!(
            r#"<text x="{:.0}" y="{:.1}" text-anchor="end">{} vs {}</text>"#,
            LEFT - 8.0,
            y + 15.0,
            escape(p.request),
            p.peer
        ));
        svg.push(format!(
            r##"<rect x="{:.1}" y="{y:.1}" width="{:.1}" height="20" fill="{fill}"/><text x="{:.1}" y="{:.1}" fill="#222">{:.2}×</text>"##,
            one.min(end),
            (end - one).abs().max(1.0),
            one.max(end) + 4.0,
            y + 15.0,
            p.ratio()
        ));
        if let Some(target) = p.target {
            let tx = x(target);
            svg.push(format!(
                r##"<line x1="{tx:.1}" y1="{:.1}" x2="{tx:.1}" y2="{:.1}" stroke="#000" stroke-width="2" stroke-dasharray="3 2"><title>target {target}×</title></line>"##,
                y - 3.0,
                y + 23.0
            ));
        }
    }
    svg.push("</svg>".into());
    svg.join("\n")
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}
