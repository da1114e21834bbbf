export { costHtml, renderReport, usd } from "./html";
export { layoutTopology } from "./layout";
export { escapeXml, renderSvg, topologyIndex } from "./svg";
export { buildTopology } from "./topology";
export type * from "./types";
