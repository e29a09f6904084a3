/**
 * A number read from a floating-point column. Python writes floats with a
 * fraction or an exponent (`3.0`, `1e+16`) and integers without, but a
 * JavaScript number alone cannot tell which one the column held. Normalization
 * therefore wraps float column values in this class.
 */
export class JsonFloat {
  readonly value: number;

  constructor(value: number) {
    this.value = value;
  }
}
