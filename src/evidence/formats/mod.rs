//! Readers of backup tools' own outputs, each mapped to the [`crate::evidence::Event`] model.

pub mod aws_backup;
pub mod borg;
pub mod common;
pub mod pgbackrest;
pub mod restic;
pub mod velero;
