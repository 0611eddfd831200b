/** Splits a SQL script into statements. Trigger bodies (BEGIN ... END;) hold `;` and stay whole. */
export const splitStatements = (script: string): ReadonlyArray<string> => {
  const statements: Array<string> = []
  let current: Array<string> = []
  let inTrigger = false
  for (const line of script.split("\n")) {
    if (current.length === 0 && line.trim() === "") continue
    current.push(line)
    if (/^\s*CREATE\s+TRIGGER\b/i.test(line)) inTrigger = true
    const trimmed = line.trim()
    const ends = inTrigger ? /^END;$/i.test(trimmed) : trimmed.endsWith(";")
    if (ends) {
      statements.push(current.join("\n").trim().replace(/;$/, ""))
      current = []
      inTrigger = false
    }
  }
  if (current.join("").trim() !== "") statements.push(current.join("\n").trim())
  return statements
}
