// The serializer functions the streamers use, in one place.
export type { ColumnKind, TableColumns } from '../serialize/column-kind.js';
export { selectColumnExpressions } from '../serialize/column-selection.js';
export { compactSerializer, defaultSerializer, encodeMessage, type MessageSerializer } from '../serialize/encode.js';
export { UnserializableValueError } from '../serialize/errors.js';
export { normalizeColumnValue } from '../serialize/normalize.js';
export { loadTableColumns } from '../serialize/table-columns.js';
export { formatTime } from '../serialize/temporal-format.js';
