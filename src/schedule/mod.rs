//! PLACEHOLDER until the schedule branch lands.
pub fn parse_cron(expr: &str) -> Result<(), String> {
    let fields = expr.split_whitespace().count();
    if fields != 5 {
        return Err(format!("a 5-field cron expression, found {fields} fields"));
    }
    Ok(())
}
