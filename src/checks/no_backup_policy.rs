//! `no-backup-policy`: a system with an RPO declares no backups.

use super::Check;

pub static CHECK: Check = check!("no-backup-policy", Violation, Design, "A system with an RPO declares no backups.");
