export { broughtInBy, describeWhy, whyInSet } from './dependency-graph.ts';
export type {
  DependencyEdge,
  DependencyGraph,
  RequestRoot,
  WhyAnswer,
  WhyChain,
} from './dependency-graph.ts';
