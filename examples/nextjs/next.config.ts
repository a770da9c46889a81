import type { NextConfig } from 'next';
import { withIsolatedCall } from 'isolated-call/next';

const nextConfig: NextConfig = {};

// The one line isolated-call needs: app-local isolated code then works in route handlers and server actions.
export default withIsolatedCall(nextConfig);
