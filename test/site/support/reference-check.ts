/**
 * What the built API reference must hold, read from the schema with graphql-js alone: every named type, field,
 * argument, input field and enum value, each with its description. `referenceGaps` lists what a set of built
 * pages lacks. Entries are marked `data-ref="Type"`, `"Type.field"`, `"Type.field(arg:)"`, `"Enum.VALUE"`.
 */
import { isEnumType, isInputObjectType, isInterfaceType, isObjectType, type GraphQLSchema } from "graphql";

export interface Coordinate {
  ref: string;
  description: string | null | undefined;
}

export function schemaCoordinates(schema: GraphQLSchema): Coordinate[] {
  const out: Coordinate[] = [];
  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith("__")) continue;
    out.push({ ref: type.name, description: type.description });
    if (isObjectType(type) || isInterfaceType(type)) {
      for (const field of Object.values(type.getFields())) {
        out.push({ ref: `${type.name}.${field.name}`, description: field.description });
        for (const arg of field.args) out.push({ ref: `${type.name}.${field.name}(${arg.name}:)`, description: arg.description });
      }
    } else if (isInputObjectType(type)) {
      for (const field of Object.values(type.getFields())) out.push({ ref: `${type.name}.${field.name}`, description: field.description });
    } else if (isEnumType(type)) {
      for (const value of type.getValues()) out.push({ ref: `${type.name}.${value.name}`, description: value.description });
    }
  }
  return out;
}

const decode = (html: string) =>
  html
    .replace(/<[^>]+>/g, "")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, "&")
    .replace(/\s+/g, " ");

/** A description as a reader sees it: Markdown code spans and links shown as their text. */
const readable = (description: string) => description.replace(/`([^`]+)`/g, "$1").replace(/\[([^\]]+)\]\([^)]+\)/g, "$1").replace(/\s+/g, " ");

/** The text of each marked entry, up to the next entry, across all pages. */
export function referenceEntries(pages: readonly string[]): Map<string, string> {
  const entries = new Map<string, string>();
  for (const html of pages) {
    const marks = [...html.matchAll(/data-ref="([^"]+)"/g)];
    marks.forEach((m, i) => {
      const start = m.index! + m[0].length;
      // Up to the tag that holds the next mark.
      const end = i + 1 < marks.length ? html.lastIndexOf("<", marks[i + 1]!.index!) : html.length;
      entries.set(m[1]!.replace(/&quot;/g, '"'), decode(html.slice(html.indexOf(">", start) + 1, end)));
    });
  }
  return entries;
}

/** What the pages lack: a definition with no entry, or an entry without its definition's description. */
export function referenceGaps(schema: GraphQLSchema, pages: readonly string[]): string[] {
  const entries = referenceEntries(pages);
  const gaps: string[] = [];
  for (const { ref, description } of schemaCoordinates(schema)) {
    const text = entries.get(ref);
    if (text === undefined) gaps.push(`${ref}: missing`);
    else if (description && !text.includes(readable(description))) gaps.push(`${ref}: description missing`);
  }
  return gaps;
}
