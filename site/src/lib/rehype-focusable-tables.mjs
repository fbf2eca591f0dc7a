/**
 * Starlight lets a wide table scroll sideways inside the page (the table itself is the scroll container). A
 * keyboard user must be able to focus it to scroll it (WCAG 2.1.1; axe's scrollable-region-focusable): give every
 * table of the Markdown pages tabindex="0".
 */
export default function rehypeFocusableTables() {
  const walk = (node) => {
    if (node.type === "element" && node.tagName === "table") node.properties = { ...node.properties, tabIndex: 0 };
    for (const child of node.children ?? []) walk(child);
  };
  return (tree) => walk(tree);
}
