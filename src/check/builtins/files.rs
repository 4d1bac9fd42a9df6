//! Functions that load a file of the project at compile time: `file`, the
//! text of a file. The files were read by `modules` while the program was
//! loaded (the checker reads none); here a call finds its file's text by the
//! path written in it.

use super::{Arity, Builtin, Call, Doc};
use crate::check::value::Val;
use crate::check::Checker;
use crate::diagnostics::builder as diag;

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
