import { Isolated } from 'isolated-call';

export class Point {
  constructor(
    readonly x: number,
    readonly y: number,
  ) {}

  toString(): string {
    return `(${this.x}, ${this.y})`;
  }
}

/** Exported, so the parent rebuilds it as an InvalidShapeError, own fields included. */
export class InvalidShapeError extends Error {
  override name = 'InvalidShapeError';

  constructor(
    message: string,
    readonly pointCount: number,
  ) {
    super(message);
  }
}

export class Polygon {
  constructor(readonly name: string) {}

  // `classes` lets Point instances cross in both directions with their prototype.
  @Isolated({ classes: [Point] })
  async centroid(points: Point[]): Promise<Point> {
    if (points.length < 3) throw new InvalidShapeError(`${this.name} needs at least 3 points`, points.length);
    const sum = points.reduce((acc, p) => ({ x: acc.x + p.x, y: acc.y + p.y }), { x: 0, y: 0 });
    return new Point(sum.x / points.length, sum.y / points.length);
  }
}
