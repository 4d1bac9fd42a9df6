//! Functions that load a file of the project at compile time: `file`, the
//! text of a file, and `from_json` and `from_yaml`, which read such text (or
//! any compile-time string) as a value. The files were read by `modules` while
//! the program was loaded (the checker reads none); here a call finds its
//! file's text by the path written in it.

use super::{Arity, Builtin, Call, Doc};
use crate::check::value::Val;
use crate::check::Checker;
use crate::diagnostics::builder as diag;
use crate::diagnostics::facts::{CompileTimeNeed, Kind};

pub(super) const FILE: Builtin = Builtin {
    name: crate::modules::FILE_FUNCTION,
    arity: Arity::exactly(1),
    doc: Doc {
        signatures: &["file(path)"],
        summary: "the text of a file of the project, read at compile time",
        description: "The text of the file at `path`, read when the program is compiled, as a string: \
            nothing in it is interpolated or escaped, so a script's `${VAR}` stays as written. The path is a \
            plain string, relative to the file that calls `file`, and may not leave the project (the folder \
            of the file named on the command line). To fill in deploy-time values, give the text to \
            `sub(file(path), { ... })`, whose `${Name}`s CloudFormation replaces.",
        example: r##"//# file: main.infra
resource server: AWS::EC2::Instance {
  ImageId: "ami-12345678"
  UserData: base64(file("./userdata.sh"))
}
//# file: userdata.sh
#!/bin/bash
echo "${HOME}" > /tmp/home
"##,
    },
    implementation: file,
};

fn file(checker: &mut Checker<'_>, call: &Call<'_>) -> Val {
    let argument = &call.args[0];
    let Some(path) = crate::modules::plain_string(argument) else {
        checker.report(diag::file_path_not_plain(argument.span, FILE.name));
        return Val::Error;
    };
    // A file that could not be read was reported when the program was loaded.
    match checker.loaded_text(&path) {
        Some(text) => Val::Str(text.to_string()),
        None => Val::Error,
    }
}

pub(super) const FROM_JSON: Builtin = Builtin {
    name: "from_json",
    arity: Arity::exactly(1),
    doc: Doc {
        signatures: &["from_json(text)"],
        summary: "the value a JSON text holds, read at compile time",
        description: "The value of the JSON document `text`: objects (keys in their order), lists, \
            strings, numbers, booleans and `null`, as if written in infra. The text must be known at compile \
            time; with `file` it loads a document kept beside the program, such as an IAM policy.",
        example: r##"//# file: main.infra
resource role: AWS::IAM::Role {
  AssumeRolePolicyDocument: from_json(file("./trust.json"))
}
//# file: trust.json
{
  "Version": "2012-10-17",
  "Statement": [
    { "Effect": "Allow", "Principal": { "Service": "lambda.amazonaws.com" }, "Action": "sts:AssumeRole" }
  ]
}
"##,
    },
    implementation: from_json,
};

fn from_json(checker: &mut Checker<'_>, call: &Call<'_>) -> Val {
    let text = match &call.values[0] {
        Val::Str(text) => text,
        other if !other.is_compile_time() => {
            let need = CompileTimeNeed::Argument(FROM_JSON.name);
            checker.report(diag::not_compile_time(call.arg_span(0), need, other.deploy_origin()));
            return Val::Error;
        }
        other => return checker.mismatch(call.arg_span(0), Kind::String, other),
    };
    match serde_json::from_str::<serde_json::Value>(text) {
        Ok(json) => value_of(json),
        Err(error) => {
            // serde_json says what is wrong and where (`trailing comma at line 1 column 15`).
            checker.report(diag::invalid_json(call.arg_span(0), FROM_JSON.name, &error.to_string()));
            Val::Error
        }
    }
}

pub(super) const FROM_YAML: Builtin = Builtin {
    name: "from_yaml",
    arity: Arity::exactly(1),
    doc: Doc {
        signatures: &["from_yaml(text)"],
        summary: "the value a YAML text holds, read at compile time",
        description: "The value of the YAML document `text`, read as CloudFormation reads YAML (version 1.1): \
            unquoted `yes`/`no`/`on`/`off` are booleans, a number with a leading zero is octal, `~` is `null`, and \
            a quoted value is always a string. Maps keep their keys in order. Tags (`!Ref`, `!Sub`) and aliases \
            are not accepted: the program writes its references itself. The text must be known at compile time; \
            with `file` it loads a document kept beside the program, such as a state machine definition.",
        example: r##"//# file: main.infra
let settings = from_yaml(file("./queue.yaml"))

resource queue: AWS::SQS::Queue {
  DelaySeconds: settings.delay
  MessageRetentionPeriod: settings.retention_days * 86400
}
//# file: queue.yaml
delay: 5
retention_days: 4
"##,
    },
    implementation: from_yaml,
};

fn from_yaml(checker: &mut Checker<'_>, call: &Call<'_>) -> Val {
    let text = match &call.values[0] {
        Val::Str(text) => text,
        other if !other.is_compile_time() => {
            let need = CompileTimeNeed::Argument(FROM_YAML.name);
            checker.report(diag::not_compile_time(call.arg_span(0), need, other.deploy_origin()));
            return Val::Error;
        }
        other => return checker.mismatch(call.arg_span(0), Kind::String, other),
    };
    match crate::cfn_yaml::read(text, crate::cfn_yaml::Tags::None) {
        Ok(node) => value_of(node.to_json()),
        Err(error) => {
            checker.report(diag::invalid_yaml(call.arg_span(0), FROM_YAML.name, &error.to_string()));
            Val::Error
        }
    }
}

/// A JSON value as the checker's value.
fn value_of(json: serde_json::Value) -> Val {
    match json {
        serde_json::Value::Null => Val::Null,
        serde_json::Value::Bool(b) => Val::Bool(b),
        serde_json::Value::Number(n) => Val::Number(n),
        serde_json::Value::String(s) => Val::Str(s),
        serde_json::Value::Array(items) => Val::List(items.into_iter().map(value_of).collect()),
        serde_json::Value::Object(entries) => Val::Object(entries.into_iter().map(|(k, v)| (k, value_of(v))).collect()),
    }
}
