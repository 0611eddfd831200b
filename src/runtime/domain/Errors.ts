/** The errors callers of the services can see. Driver errors never leak: they become `StoreError`. */
import { Schema } from "effect"

export const Backend = Schema.Literal("sqlite", "postgres")
export type Backend = typeof Backend.Type

/** A database operation failed. Names the backend and the operation; the driver error is the cause. */
export class StoreError extends Schema.TaggedError<StoreError>()("StoreError", {
  backend: Backend,
  operation: Schema.String,
  message: Schema.String,
  cause: Schema.optional(Schema.Defect)
}) {}

/** A caller passed an argument that can never be valid (unknown sender type, empty content, ...). */
export class InvalidInput extends Schema.TaggedError<InvalidInput>()("InvalidInput", {
  operation: Schema.String,
  message: Schema.String
}) {}

/** The row a write targets does not exist. */
export class NotFound extends Schema.TaggedError<NotFound>()("NotFound", {
  entity: Schema.String,
  key: Schema.String
}) {
  override get message() {
    return `${this.entity} ${this.key} not found`
  }
}

/** The row a create targets exists already (a second profile for the same user). */
export class AlreadyExists extends Schema.TaggedError<AlreadyExists>()("AlreadyExists", {
  entity: Schema.String,
  key: Schema.String
}) {
  override get message() {
    return `${this.entity} ${this.key} already exists`
  }
}
