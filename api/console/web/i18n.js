// Console text in Chinese (the default) and English. Labels of the ontology (kinds, grid levels,
// relationship types, vocabulary values) are not here: the server embeds them from schema/.
const TEXT = {
  brand: ["网格治理图谱", "Grid governance graph"],
  "nav.search": ["查找", "Search"],
  "nav.gaps": ["缺口", "Gaps"],
  "nav.upload": ["导入", "Upload"],
  "nav.graphiql": ["GraphiQL", "GraphiQL"],
  switchTo: ["English", "中文"],
  loading: ["加载中…", "Loading…"],
  error: ["出错了", "Something went wrong"],
  notFound: ["没有这个节点", "No such node"],
  "search.title": ["查找", "Search"],
  "search.placeholder": ["名称、拼音或首字母，如 liyang、lysq", "Name, pinyin or initials, e.g. liyang, lysq"],
  "search.kind": ["类型", "Kind"],
  "search.all": ["全部类型", "All kinds"],
  "search.none": ["没有找到", "Nothing found"],
  "search.hint": ["输入名称、拼音或首字母查找楼栋、社区、单位、人员……", "Type a name, pinyin or initials to find a building, community, unit, person…"],
  "search.counts": ["图谱规模", "The graph"],
  name: ["名称", "Name"],
  kind: ["类型", "Kind"],
  where: ["所在", "Where"],
  level: ["层级", "Level"],
  asOf: ["日期", "Day"],
  today: ["今天", "Today"],
  count: ["数量", "Count"],
  total: ["合计", "Total"],
  none: ["无", "none"],
  "building.coverage": ["逐级覆盖", "Coverage, level by level"],
  "building.chain": ["责任链", "Responsibility chain"],
  "building.category": ["事件类别", "Event category"],
  "building.eventType": ["事件类型", "Event type"],
  "building.complete": ["责任链完整", "Chain complete"],
  "building.incomplete": ["责任链有缺口", "Chain has gaps"],
  "building.responseLevel": ["默认响应层级", "Default response level"],
  "building.inCharge": ["负责人", "In charge"],
  "building.party": ["党组织", "Party organisation"],
  "building.meeting": ["议事会议", "Meeting"],
  "building.convenes": ["可召集单位", "Units it may convene"],
  "building.handlers": ["处置单位 (1+5+N)", "Handlers (1+5+N)"],
  "building.accountability": ["双重问责", "Double accountability"],
  "building.territory": ["属地", "Territory"],
  "building.pairing": ["包联", "Pairing"],
  "building.routing": ["流转顺序", "Routing"],
  "building.gaps": ["缺口", "Gaps"],
  "building.posts": ["岗位", "Posts"],
  "building.managers": ["物业/业委会", "Property management"],
  "building.paired": ["包联单位", "Paired department"],
  "building.social": ["社会组织", "Social organisations"],
  "building.volunteers": ["志愿服务队", "Volunteer teams"],
  "building.partners": ["共建单位", "Partners"],
  "building.facilities": ["服务阵地", "Facilities"],
  "building.leader": ["牵头", "Led by"],
  "building.floors": ["层", "floors"],
  "legend.response": ["默认响应层级", "default response level"],
  "legend.accountable": ["双重问责（属地、包联）", "double accountability (territory, pairing)"],
  "legend.gap": ["缺口", "gap"],
  "graph.event": ["事件", "Event"],
  "graph.partOf": ["隶属", "part of"],
  "graph.responds": ["默认响应", "default response"],
  "node.neighbourhood": ["关系网络", "Neighbourhood"],
  "node.relationships": ["关系", "Relationships"],
  "node.shared": ["共建伙伴与共享协议", "Partners and shared agreements"],
  "node.party": ["伙伴", "Partner"],
  "node.common": ["共同协议", "Common agreements"],
  "node.via": ["经由", "Via"],
  "node.expiring": ["即将到期的协议（90天内）", "Agreements lapsing within 90 days"],
  "node.daysLeft": ["剩余天数", "Days left"],
  "node.validTo": ["到期日", "Last day"],
  "node.validFrom": ["起始日", "From"],
  "node.parties": ["协议方", "Parties"],
  "node.properties": ["属性", "Properties"],
  "node.type": ["关系类型", "Type"],
  "node.other": ["另一端", "Other end"],
  "node.period": ["有效期", "Period"],
  "node.synthetic": ["生成数据（非公开资料）", "generated data (not from the seed report)"],
  "gaps.title": ["缺口清单", "Gaps: the planner's to-do list"],
  "gaps.counts": ["按层级与类型计数（点击筛选）", "Counts per level and kind (click to filter)"],
  "gaps.rows": ["明细", "Rows"],
  "gaps.kind": ["缺口类型", "Kind"],
  "gaps.reason": ["原因", "Reason"],
  "gaps.node": ["节点", "Node"],
  "gaps.community": ["社区", "Community"],
  "gaps.allKinds": ["全部类型", "All kinds"],
  "gaps.allLevels": ["全部层级", "All levels"],
  "gaps.prev": ["上一页", "Previous"],
  "gaps.next": ["下一页", "Next"],
  "gaps.page": ["第 {n} 页，共 {total} 条", "Page {n}, {total} rows"],
  "gaps.export": ["导出 Excel (CSV)", "Export to Excel (CSV)"],
  "gaps.exporting": ["正在导出…", "Exporting…"],
  "gaps.checked": ["已检查", "Checked"],
  "gaps.event": ["事件类型", "event types"],
  "upload.title": ["导入数据", "Upload data"],
  "upload.logAdmins": ["导入记录仅对管理员可见：请在上方填写管理员令牌。", "The import log is shown to admins only: enter the admin token above."],
  "upload.token": ["管理员令牌", "Admin token"],
  "upload.tokenHint": ["令牌只保存在本浏览器会话中，关闭浏览器即清除。", "The token is kept for this browser session only."],
  "upload.tokenSave": ["保存令牌", "Keep token"],
  "upload.tokenSaved": ["已保存管理员令牌", "Admin token kept for this session"],
  "upload.tokenClear": ["清除", "Forget"],
  "upload.drop": ["把 Excel / CSV / JSON 文件拖到这里，或点击选择文件", "Drop an Excel / CSV / JSON file here, or click to choose one"],
  "upload.choose": ["选择文件", "Choose a file"],
  "upload.skipInvalid": ["跳过有错的行", "Skip invalid rows"],
  "upload.onConflict": ["已有记录", "Existing records"],
  "upload.update": ["更新", "update"],
  "upload.skip": ["跳过", "skip"],
  "upload.fail": ["报错", "fail"],
  "upload.checking": ["正在检查（试导入，不写入）…", "Checking (dry run, nothing is written)…"],
  "upload.loading": ["正在导入…", "Loading…"],
  "upload.dryRun": ["试导入报告", "Dry-run report"],
  "upload.result": ["导入结果", "Load result"],
  "upload.confirm": ["确认导入", "Confirm and load"],
  "upload.fixFirst": ["有错误的行：请修正后重新选择文件，或勾选“跳过有错的行”。", "Some rows are invalid: fix them and choose the file again, or tick “Skip invalid rows”."],
  "upload.nothingToDo": ["文件与图谱一致，无需导入。", "The file matches the graph: nothing to load."],
  "upload.cancel": ["取消", "Cancel"],
  "upload.problems": ["问题", "Problems"],
  "upload.noProblems": ["没有发现问题", "No problems found"],
  "upload.sheet": ["工作表", "Sheet"],
  "upload.row": ["行", "Row"],
  "upload.column": ["列", "Column"],
  "upload.severity": ["级别", "Severity"],
  "upload.message": ["说明", "Message"],
  "upload.changes": ["将要/已经发生的变化", "Changes (would be / were made)"],
  "upload.created": ["新增", "Created"],
  "upload.updated": ["更新", "Updated"],
  "upload.unchanged": ["不变", "Unchanged"],
  "upload.nodes": ["节点", "Nodes"],
  "upload.relationships": ["关系", "Relationships"],
  "upload.rows": ["行数", "Rows"],
  "upload.status": ["状态", "Status"],
  "upload.log": ["导入日志", "Import log"],
  "upload.file": ["文件", "File"],
  "upload.when": ["时间", "When"],
  "upload.by": ["操作人", "By"],
  "upload.template": ["空白模板：gridgraph template agreements", "Blank templates: gridgraph template agreements"],
  "gap.NO_PARENT_GRID": ["缺上级网格", "No parent grid"],
  "gap.NO_PERSON_IN_CHARGE": ["缺负责人", "No person in charge"],
  "gap.NO_PARTY_ORGANIZATION": ["缺党组织", "No party organisation"],
  "gap.NO_PROPERTY_MANAGER": ["缺物业管理", "No property manager"],
  "gap.NO_PAIRING": ["缺包联单位", "No paired department"],
  "gap.NO_LEADING_GROUP": ["缺领导小组", "No leading group"],
  "gap.NO_HANDLER": ["缺处置单位", "No handler"],
  "gap.NO_RESPONSE_LEVEL": ["缺响应层级", "No response level"],
  "role.PROPERTY_FIRM": ["物业公司", "property firm"],
  "role.OWNERS_COMMITTEE": ["业委会", "owners' committee"],
  "role.PAIRED_DEPARTMENT": ["包联单位（1）", "paired department (the 1)"],
  "role.KEY_UNIT": ["重点责任单位（5）", "key unit (the 5)"],
  "role.N_DEPARTMENT": ["职能部门（N）", "department (the N)"],
  "role.KEY": ["重点处置", "key handler"],
  "role.N": ["职能处置", "N handler"],
  "auth.401": ["未授权：导入需要管理员令牌，请在上方填写。", "Not authorised: uploading needs the admin token; enter it above."],
  "auth.403": ["被拒绝：管理员令牌不正确，或服务器未设置管理员令牌。", "Refused: the admin token is wrong, or the server has none configured."],
  "auth.read": ["读取需要令牌：请在“导入”页填写令牌。", "Reading needs a token: enter it on the Upload page."],
};

const KEY = "gridgraph.lang";
export let lang = localStorage.getItem(KEY) === "en" ? "en" : "zh";

export function setLang(value) {
  lang = value === "en" ? "en" : "zh";
  localStorage.setItem(KEY, lang);
  document.documentElement.lang = lang === "zh" ? "zh-CN" : "en";
}

/** The text for ``key`` in the current language, with {placeholders} filled. */
export function t(key, values = {}) {
  const pair = TEXT[key];
  let text = pair ? pair[lang === "zh" ? 0 : 1] : key;
  for (const [k, v] of Object.entries(values)) text = text.replace(`{${k}}`, v);
  return text;
}

const vocab = JSON.parse(document.getElementById("vocab").textContent);

/** A node kind (``Community``) in the current language. */
export function kindLabel(kind) {
  const k = vocab.kinds[kind];
  return k ? (lang === "zh" ? k.zh : k.en) : kind;
}

/** A grid level (``COMMUNITY``, or ``EVENT`` in the gaps report). */
export function levelLabel(level) {
  const l = vocab.levels[level];
  if (!l) return level === "EVENT" ? t("gaps.event") : level;
  return lang === "zh" ? l.zh : l.en;
}

export function levelInfo(level) {
  return vocab.levels[level] || {};
}

/** A relationship type (``PAIRED_WITH``). */
export function relLabel(type) {
  const r = vocab.relations[type];
  return r ? (lang === "zh" ? `${r.zh}` : type.toLowerCase().replaceAll("_", " ")) : type;
}

/** A vocabulary value (``building_leader``): its Chinese label, or the value itself. */
export function choiceLabel(value) {
  if (!value) return "";
  const zh = vocab.choices[value.toLowerCase()];
  return lang === "zh" && zh ? zh : value.toLowerCase().replaceAll("_", " ");
}

/** A gap kind (``NO_PAIRING``), short; ``gapDescription`` gives the ontology's sentence. */
export function gapLabel(kind) {
  return TEXT[`gap.${kind}`] ? t(`gap.${kind}`) : kind;
}

/** Why a unit is convened or handles an event (``KEY_UNIT``, ``N``...). */
export function roleLabel(role) {
  return TEXT[`role.${role}`] ? t(`role.${role}`) : role;
}

export function gapDescription(kind) {
  return vocab.gapKinds[kind] || kind;
}

export const kindNames = Object.keys(vocab.kinds);
/** The node kind whose ids start with ``prefix:``. */
export function kindOfId(id) {
  const prefix = id.split(":")[0];
  return kindNames.find((k) => vocab.kinds[k].prefix === prefix) || null;
}
