//! The catalogue of diagnostic codes.
//!
//! Codes are grouped by stage: `E01xx` lexer and syntax, `E02xx` names and
//! references, `E03xx` types and values, `E04xx` resource schemas, `E05xx`
//! CloudFormation rules, `E06xx` what CloudFormation reports about a deployed
//! program (through the source map, after the build); warnings use `W`. A code is never renumbered or
//! reused: retired codes stay retired. Each code's page lives in
//! `explanations/<CODE>.md` and is what `infrac explain CODE` prints.

use super::Severity;

macro_rules! catalogue {
    ($($variant:ident = $code:literal, $title:literal;)*) => {
        /// A stable diagnostic code.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Code {
            $($variant),*
        }

        impl Code {
            /// Every code in the catalogue, in code order.
            pub const ALL: &'static [Code] = &[$(Code::$variant),*];

            /// The code as users see it, e.g. `E0201`.
            pub fn as_str(self) -> &'static str {
                match self { $(Code::$variant => $code),* }
            }

            /// A one-line title for listings.
            pub fn title(self) -> &'static str {
                match self { $(Code::$variant => $title),* }
            }

            /// The code's explanation page (Markdown).
            pub fn explanation(self) -> &'static str {
                match self {
                    $(Code::$variant => include_str!(concat!("explanations/", $code, ".md"))),*
                }
            }
        }
    };
}

// In code order: `Code::ALL`, `infrac explain --list` and the order of
// diagnostics at one place follow it (`tests/fixtures.rs` checks).
catalogue! {
    SyntaxError = "E0101", "syntax error";
    UnterminatedString = "E0102", "unterminated string";
    UnknownCharacter = "E0103", "unknown character";
    UnterminatedComment = "E0104", "unterminated block comment";
    InvalidEscape = "E0105", "invalid escape sequence";
    NestingTooDeep = "E0106", "nesting too deep";
    UndefinedName = "E0201", "undefined name";
    DuplicateDeclaration = "E0202", "duplicate declaration";
    ReferenceCycle = "E0203", "reference cycle";
    UnknownFunction = "E0204", "unknown function";
    UnknownDecorator = "E0205", "unknown or misplaced decorator";
    UnknownResourceType = "E0206", "unknown resource type";
    UnknownMember = "E0207", "unknown member";
    NotAResource = "E0208", "not a resource";
    DisabledResource = "E0209", "reference to a resource left out by @when(false)";
    ConditionOnResource = "E0210", "condition depends on a resource";
    ImportNotFound = "E0211", "imported file not found";
    ImportCycle = "E0212", "import cycle";
    ImportOutsideRoot = "E0213", "import outside the project";
    UnconditionalReference = "E0214", "unconditional reference to a conditional resource";
    UnknownConstructProperty = "E0215", "unknown construct property";
    MissingConstructProperty = "E0216", "missing construct property";
    OutsideStack = "E0217", "declaration outside a stack";
    InstanceAsValue = "E0218", "construct instance used as a value";
    CrossStackValue = "E0219", "value that cannot cross stacks";
    StackCycle = "E0220", "stacks depend on each other";
    WrongConstructKind = "E0221", "wrong kind of construct";
    UnknownOverrideTarget = "E0222", "override of a resource the instance does not create";
    FileNotFound = "E0223", "file to load not found";
    FileOutsideRoot = "E0224", "file to load outside the project";
    AssetNotFound = "E0225", "asset not found";
    AssetOutsideRoot = "E0226", "asset outside the project";
    ImageRepository = "E0227", "image repository that cannot take the image";
    ExistingAttributeNotGiven = "E0228", "attribute an existing resource's description does not give";
    MisusedParameterGroup = "E0229", "parameter group that cannot forward";
    TypeMismatch = "E0301", "mismatched types";
    WrongArgumentCount = "E0302", "wrong number of arguments";
    NotCompileTime = "E0303", "deploy-time value where a compile-time value is needed";
    DefaultViolatesConstraint = "E0304", "value breaks a parameter's constraint";
    InvalidDecoratorArgument = "E0305", "invalid decorator argument";
    IndexOutOfRange = "E0306", "index out of range";
    InvalidPattern = "E0307", "invalid regular expression";
    UnknownParameterType = "E0308", "unknown parameter type";
    DuplicateKey = "E0309", "duplicate key";
    RangeTooLarge = "E0310", "range too large";
    AssertionFailed = "E0311", "construct assertion failed";
    InvalidArgument = "E0312", "invalid argument to a function";
    InvalidArithmetic = "E0313", "arithmetic without a result";
    InvalidYaml = "E0314", "invalid YAML";
    RuleFunctionOutsideAssert = "E0315", "rule function outside an @assert";
    UnknownProperty = "E0401", "unknown property";
    PropertyTypeMismatch = "E0402", "property value of the wrong type";
    MissingRequiredProperty = "E0403", "missing required property";
    RequiredAlternatives = "E0404", "missing or conflicting alternative properties";
    DependentProperty = "E0405", "property needs or excludes another";
    ReadOnlyProperty = "E0406", "read-only property";
    ValueNotAllowed = "E0407", "value not allowed";
    NumberOutOfRange = "E0408", "number out of range";
    LengthOutOfRange = "E0409", "string length out of range";
    ItemCountOutOfRange = "E0410", "wrong number of list items";
    UnknownAttribute = "E0411", "unknown attribute";
    AttributeNotForType = "E0412", "resource attribute the type does not take";
    LogicalIdCollision = "E0501", "logical ID collision";
    InvalidLogicalId = "E0502", "invalid logical ID";
    DuplicateStack = "E0503", "duplicate stack name";
    EmptyStack = "E0504", "stack without resources";
    TemplateQuota = "E0505", "template over a CloudFormation quota";
    TemplateTooLarge = "E0506", "template body over 1 MB";
    DuplicateExport = "E0507", "two outputs export the same name";
    SlotTaken = "E0508", "two resources take a value only one may have";
    TransformRequired = "E0509", "feature that needs a transform the stack does not name";
    DeployFailed = "E0601", "resource that failed to deploy";
    ResourceDrifted = "E0602", "resource changed outside CloudFormation";
    UnusedParameter = "W0201", "unused parameter";
    UncheckedConstraint = "W0301", "constraint that is only partly checked";
    ExpectationUnmet = "W0302", "construct expectation not met";
    PatternMismatch = "W0401", "value does not match the schema's pattern";
    DeprecatedProperty = "W0402", "deprecated property";
    UnavailableResourceType = "W0403", "resource type that may not be available";
    FormatMismatch = "W0404", "value of the wrong semantic format";
    UncheckedResourceType = "W0405", "resource type passed through unchecked";
    TemplateNeedsS3 = "W0501", "template body too large to pass inline";
    MacroTransform = "W0502", "macro the compiler cannot see through";
}

impl Code {
    pub fn severity(self) -> Severity {
        if self.as_str().starts_with('W') {
            Severity::Warning
        } else {
            Severity::Error
        }
    }

    /// Looks a code up by its text, ignoring case (`e0201` works).
    pub fn parse(text: &str) -> Option<Code> {
        Code::ALL.iter().copied().find(|code| code.as_str().eq_ignore_ascii_case(text))
    }
}

impl Code {
    /// Reported after the build, from what CloudFormation says about the
    /// deployed stack (`infrac deploy`, `infrac drift`), rather than by
    /// compiling: no program compiles into it.
    pub fn is_reported_after_build(self) -> bool {
        self.as_str().starts_with("E06")
    }
}
