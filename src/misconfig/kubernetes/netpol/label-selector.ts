import { isMap, stringMap } from '../k8s-object.js';

/** A Kubernetes label selector (metav1.LabelSelector). */
export interface LabelSelector {
  matchLabels: Record<string, string>;
  matchExpressions: Array<{ key: string; operator: string; values: string[] }>;
}

/** The selector that matches everything (`{}`). */
export const MATCH_ALL: LabelSelector = Object.freeze({ matchLabels: {}, matchExpressions: [] }) as LabelSelector;

/** Reads a label selector from a manifest value; anything that is not a mapping reads as `{}`. */
export function parseSelector(value: unknown): LabelSelector {
  if (!isMap(value)) return { matchLabels: {}, matchExpressions: [] };
  const expressions = Array.isArray(value.matchExpressions) ? value.matchExpressions : [];
  return {
    matchLabels: stringMap(value.matchLabels),
    matchExpressions: expressions.filter(isMap).map((expression) => ({
      key: String(expression.key ?? ''),
      operator: String(expression.operator ?? ''),
      values: Array.isArray(expression.values) ? expression.values.map(String) : [],
    })),
  };
}

/** True for `{}`, which selects every pod or namespace. */
export function isEmptySelector(selector: LabelSelector): boolean {
  return Object.keys(selector.matchLabels).length === 0 && selector.matchExpressions.length === 0;
}

/**
 * True when labels satisfy every matchLabels entry and every matchExpressions requirement, as
 * metav1.LabelSelectorAsSelector evaluates them. An unknown operator matches nothing, which is how
 * the API server treats a selector it would reject.
 */
export function selectorMatches(selector: LabelSelector, labels: Record<string, string>): boolean {
  for (const [key, value] of Object.entries(selector.matchLabels)) {
    if (labels[key] !== value) return false;
  }
  for (const { key, operator, values } of selector.matchExpressions) {
    const has = Object.hasOwn(labels, key);
    switch (operator) {
      case 'In':
        if (!has || !values.includes(labels[key]!)) return false;
        break;
      case 'NotIn':
        if (has && values.includes(labels[key]!)) return false;
        break;
      case 'Exists':
        if (!has) return false;
        break;
      case 'DoesNotExist':
        if (has) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}

/** Formats a selector the way kubectl prints it: `app=web,tier in (a,b)`, or `<all>` for `{}`. */
export function formatSelector(selector: LabelSelector): string {
  const parts = Object.entries(selector.matchLabels).map(([key, value]) => `${key}=${value}`);
  for (const { key, operator, values } of selector.matchExpressions) {
    if (operator === 'Exists') parts.push(key);
    else if (operator === 'DoesNotExist') parts.push(`!${key}`);
    else parts.push(`${key} ${operator === 'In' ? 'in' : 'notin'} (${values.join(',')})`);
  }
  return parts.length === 0 ? '<all>' : parts.join(',');
}
