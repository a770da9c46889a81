// npx tsx examples/classes-and-errors/main.ts
//
// Instances go to the child and come back as instances; errors come back as
// their own class, and the SDK's own failures are typed too.
import { IsolatedCallError, SerializationError } from 'isolated-call';
import { InvalidShapeError, Point, Polygon } from './geometry.js';

const triangle = new Polygon('triangle');
const center = await triangle.centroid([new Point(0, 0), new Point(6, 0), new Point(0, 3)]);
console.log(`centroid: ${center}, a Point: ${center instanceof Point}`);

try {
  await triangle.centroid([new Point(0, 0)]);
} catch (error) {
  if (error instanceof InvalidShapeError) console.log(`${error.name}: ${error.message} (got ${error.pointCount})`);
}

try {
  // A WeakMap can't be copied to another process: rejected before any child starts.
  await triangle.centroid([{ x: 1, y: 1, cache: new WeakMap() } as unknown as Point]);
} catch (error) {
  if (error instanceof SerializationError) console.log(`${error.code} at ${error.path}`);
  else if (error instanceof IsolatedCallError) console.log(error.code);
  else throw error;
}
