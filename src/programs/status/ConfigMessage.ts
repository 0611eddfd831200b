/** A ConfigError as one line: it renders as `(Invalid data at X: "<message>")`, and the message is what matters. */
import type { ConfigError } from "effect"

export const configMessage = (error: ConfigError.ConfigError): string => {
  const text = String(error)
  return /: "(.*)"\)?$/.exec(text)?.[1] ?? text
}
