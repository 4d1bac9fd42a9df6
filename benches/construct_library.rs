//! Compile-time benchmark of the construct library: a generated program of
//! many stacks, each declaring a VPC, a load-balanced Fargate service, a
//! bucket, a queue, a table and a function from `std/`, so that most of the
//! work is expanding standard-library constructs.
//!
//! Run with `cargo bench --bench construct_library` (release mode); an
//! optional argument sets the number of stacks (default 10 and 100).
//! Prints the median and minimum compile time, the templates' size and
//! resource count, and the peak resident memory (`VmHWM`).

use std::fmt::Write as _;
use std::time::{Duration, Instant};

use infrac::source::SourceMap;

fn main() {
    let sizes: Vec<usize> = std::env::args().skip(1).filter_map(|a| a.parse().ok()).collect();
    let sizes = if sizes.is_empty() { vec![10, 100] } else { sizes };
    for stacks in sizes {
        bench(stacks);
    }
}

fn program(stacks: usize) -> String {
    let mut s = String::from("//! Generated for the construct_library benchmark.\n\n");
    for i in 0..stacks {
        let _ = write!(
            s,
            r#"stack App{i} {{
  resource net: ec2.Vpc {{ max_azs: 2, nat_gateways: 1 }}
  resource images: ecr.Repository {{ name: "app{i}/web", keep_last: 10 }}
  resource web: ecs.LoadBalancedFargateService {{
    vpc: net
    image: "${{images.uri}}:v1"
    cpu: 512
    memory: 1024
    environment: {{ TABLE: data, QUEUE: jobs.url }}
  }}
  resource assets: s3.Bucket {{ lifecycle_rules: [{{ noncurrent_days: 30 }}] }}
  resource jobs: sqs.Queue {{}}
  resource data: dynamodb.Table {{ partition_key: "id", sort_key: "at" }}
  resource worker: lambda.Function {{
    runtime: "python3.12"
    code: "def handler(event, context): return None"
    environment: {{ BUCKET: assets }}
  }}
  output url = web.url
}}

"#
        );
    }
    s
}

fn bench(stacks: usize) {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
    let source = program(stacks);
    let mut sources = SourceMap::new();
    let file = sources.add("bench-constructs.infra", source.clone());
    let iterations = if stacks >= 100 { 5 } else { 20 };
    let mut times = Vec::new();
    let mut resources = 0;
    let mut bytes = 0;
    for _ in 0..iterations {
        let started = Instant::now();
        let compilation = infrac::compile(&mut sources, &[file]);
        let texts: Vec<String> = compilation.stacks.iter().map(|s| infrac::backend::to_text(&s.template)).collect();
        times.push(started.elapsed());
        let errors: Vec<_> = compilation.diagnostics.iter().filter(|d| d.is_error()).cloned().collect();
        assert!(errors.is_empty(), "{}", infrac::diagnostics::render::plain(&sources, &errors));
        bytes = texts.iter().map(String::len).sum();
        resources = compilation
            .stacks
            .iter()
            .filter_map(|s| s.template.get("Resources").and_then(|r| r.as_object()))
            .map(|r| r.len())
            .sum();
    }
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let peak = std::fs::read_to_string("/proc/self/status").ok().and_then(|status| {
        let line = status.lines().find(|l| l.starts_with("VmHWM:"))?.to_string();
        line.split_whitespace().nth(1)?.parse::<f64>().ok()
    });
    println!(
        "{stacks:>4} stacks, {} instances, {resources} resources, {bytes} bytes of templates: \
         median {:.1} ms, min {:.1} ms, peak {}",
        stacks * 7,
        ms(times[times.len() / 2]),
        ms(times[0]),
        peak.map_or("n/a".to_string(), |kb| format!("{:.1} MB", kb / 1024.0)),
    );
}
