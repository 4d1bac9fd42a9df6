//! The large generated program that `compile_large` and `startup` compile: L1 resources that
//! reference each other within and across stacks.

use std::fmt::Write as _;

/// A program of `resources` resources in stacks of `stack_size`, each
/// with two params and a few lets: SQS queues chained by dead-letter redrive
/// policies (`json(...)` with a `GetAtt`), S3 buckets named by interpolating
/// a param and tagged with a queue's name, each stack's first queue chained
/// to the previous stack's last one (a cross-stack export and import), and
/// one output per stack.
pub fn program(resources: usize, stack_size: usize) -> String {
    let mut s = String::with_capacity(resources * 220);
    s.push_str("//! Generated for the compile_large and startup benchmarks.\n\n");
    s.push_str("let retention = 345600\n\n");
    let mut last_queue: Option<(usize, usize)> = None;
    for (stack, start) in (0..resources).step_by(stack_size).enumerate() {
        let _ = writeln!(s, "stack S{stack} {{");
        s.push_str("  /// The deployment stage.\n  @allowed([\"dev\", \"prod\"])\n  param stage: string = \"dev\"\n\n");
        s.push_str("  @min(1)\n  @max(10)\n  param receives: number = 3\n\n");
        s.push_str("  let app = \"bench-${stage}\"\n");
        s.push_str("  let versioning = stage == \"prod\" ? \"Enabled\" : \"Suspended\"\n\n");
        for i in start..(start + stack_size).min(resources) {
            if i % 2 == 0 {
                let _ = writeln!(s, "  resource q{i}: AWS::SQS::Queue {{");
                let _ = writeln!(s, "    QueueName: \"${{app}}-queue-{i}\"");
                let _ = writeln!(s, "    MessageRetentionPeriod: retention");
                if let Some((previous_stack, previous)) = last_queue {
                    let target = if previous_stack == stack {
                        format!("q{previous}")
                    } else {
                        format!("S{previous_stack}.q{previous}")
                    };
                    let _ = writeln!(
                        s,
                        "    RedrivePolicy: json({{ deadLetterTargetArn: {target}.Arn, maxReceiveCount: receives }})"
                    );
                }
                s.push_str("  }\n\n");
                last_queue = Some((stack, i));
            } else {
                let (_, queue) = last_queue.expect("a queue comes first");
                let _ = writeln!(s, "  resource b{i}: AWS::S3::Bucket {{");
                let _ = writeln!(s, "    BucketName: \"${{app}}-bucket-{i}\"");
                let _ = writeln!(s, "    VersioningConfiguration: {{ Status: versioning }}");
                let _ = writeln!(s, "    Tags: [{{ Key: \"queue\", Value: q{queue}.QueueName }}]");
                s.push_str("  }\n\n");
            }
        }
        let _ = writeln!(s, "  output first_arn = q{start}.Arn");
        s.push_str("}\n\n");
    }
    s
}
