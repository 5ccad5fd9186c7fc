// A registry per service rather than prom-client's global one: tests can create several
// side by side, and nothing a dependency registers globally leaks into /metrics.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { CounterConfiguration, GaugeConfiguration, HistogramConfiguration } from 'prom-client';

type Unregistered<C> = Omit<C, 'registers'>;

export interface Metrics {
  readonly registry: Registry;
  counter<L extends string = string>(config: Unregistered<CounterConfiguration<L>>): Counter<L>;
  histogram<L extends string = string>(config: Unregistered<HistogramConfiguration<L>>): Histogram<L>;
  gauge<L extends string = string>(config: Unregistered<GaugeConfiguration<L>>): Gauge<L>;
}

export function createMetrics(service: string): Metrics {
  const registry = new Registry();
  // A default label instead of a name prefix: dashboards can aggregate one metric name across
  // services and still split by `service`.
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry });
  return {
    registry,
    counter: (config) => new Counter({ ...config, registers: [registry] }),
    histogram: (config) => new Histogram({ ...config, registers: [registry] }),
    gauge: (config) => new Gauge({ ...config, registers: [registry] }),
  };
}
