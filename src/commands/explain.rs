//! `drproof explain [CHECK]`.

use super::InputError;
use crate::checks::{self, ALL};
use crate::cli::ExplainArgs;

pub fn run(args: &ExplainArgs) -> anyhow::Result<u8> {
    let text = match &args.check {
        Some(id) => match checks::find(id) {
            Some(check) => format!(
                "{}\nDefault severity: {}. Stage: {}.\n",
                check.explain.trim_end(),
                check.severity.as_str(),
                check.stage.as_str()
            ),
            None => {
                let hint = crate::declarations::suggest(id, ALL.iter().map(|c| c.id))
                    .map(|s| format!(" (did you mean `{s}`?)"))
                    .unwrap_or_default();
                return Err(InputError(format!(
                    "unknown check `{id}`{hint}; `drproof explain` lists them"
                ))
                .into());
            }
        },
        None => list(),
    };
    super::print(&text)?;
    Ok(super::exit::OK)
}

fn list() -> String {
    let width = ALL.iter().map(|c| c.id.len()).max().unwrap_or(0);
    let mut out = String::from("Checks (drproof explain CHECK for details):\n");
    for c in ALL {
        out.push_str(&format!(
            "  {:width$}  {:9}  {}\n",
            c.id,
            c.severity.as_str(),
            c.summary
        ));
    }
    out
}
