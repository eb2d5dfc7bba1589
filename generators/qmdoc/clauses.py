"""The ISO 9001:2015 clauses that concern customer focus, with our own short titles.

The standard's wording is copyrighted: only clause numbers and short titles
written for this project appear here.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Clause:
    id: str
    title: dict[str, str]
    focus: bool  # part of the customer-focus scope the manual must address


_CATALOGUE = [
    # (clause, English short title, Chinese short title, customer-focus scope)
    ("4", "Organizational context", "组织环境", False),
    ("4.1", "The organization and its context", "理解组织及其环境", False),
    ("4.2", "Interested parties and their requirements", "相关方的需求和期望", False),
    ("4.3", "Scope of the management system", "管理体系范围", True),
    ("4.4", "Management system and its processes", "管理体系及其过程", False),
    ("4.4.1", "Processes of the system", "体系所需的过程", False),
    ("4.4.2", "Documented information on processes", "过程的成文信息", False),
    ("5", "Leadership", "领导作用", False),
    ("5.1", "Leadership and commitment", "领导作用与承诺", False),
    ("5.1.1", "Commitment to the management system", "对管理体系的承诺", False),
    ("5.1.2", "Leadership commitment to customer focus", "领导对以顾客为关注焦点的承诺", True),
    ("5.2", "Quality policy", "质量方针", True),
    ("5.2.1", "Setting the quality policy", "制定质量方针", False),
    ("5.2.2", "Communicating the quality policy", "沟通质量方针", False),
    ("5.3", "Roles, responsibilities and authorities", "岗位、职责和权限", False),
    ("6", "Planning", "策划", False),
    ("6.1", "Risks and opportunities", "应对风险和机遇的措施", False),
    ("6.1.1", "Determining risks and opportunities", "确定风险和机遇", False),
    ("6.1.2", "Planning actions on risks and opportunities", "策划应对措施", False),
    ("6.2", "Quality objectives and planning to achieve them", "质量目标及其实现的策划", True),
    ("6.2.1", "Setting quality objectives", "建立质量目标", False),
    ("6.2.2", "Planning to achieve objectives", "实现质量目标的策划", False),
    ("6.3", "Planning changes to the system", "变更的策划", False),
    ("7", "Support", "支持", False),
    ("7.1", "Resources", "资源", False),
    ("7.1.1", "Resources in general", "资源总则", False),
    ("7.1.2", "People", "人员", False),
    ("7.1.3", "Infrastructure", "基础设施", False),
    ("7.1.4", "Process environment", "过程运行环境", False),
    ("7.1.5", "Monitoring and measuring resources", "监视和测量资源", False),
    ("7.1.5.1", "Measuring resources in general", "监视和测量资源总则", False),
    ("7.1.5.2", "Traceability of measurements", "测量溯源", False),
    ("7.1.6", "Organizational knowledge", "组织的知识", False),
    ("7.2", "Competence", "能力", False),
    ("7.3", "Awareness", "意识", False),
    ("7.4", "Communication", "沟通", False),
    ("7.5", "Documented information", "成文信息", True),
    ("7.5.1", "Documented information in general", "成文信息总则", False),
    ("7.5.2", "Creating and updating documents", "文件的创建和更新", False),
    ("7.5.3", "Control of documented information", "成文信息的控制", False),
    ("7.5.3.1", "Availability and protection", "可获得与保护", False),
    ("7.5.3.2", "Distribution, storage, versions, retention", "分发、存储、版本与保留", False),
    ("8", "Operation", "运行", False),
    ("8.1", "Operational planning and control", "运行的策划和控制", False),
    ("8.2", "Requirements for products and services", "产品和服务的要求", False),
    ("8.2.1", "Communication with customers", "顾客沟通", True),
    ("8.2.2", "Determining requirements", "产品和服务要求的确定", True),
    ("8.2.3", "Reviewing requirements", "产品和服务要求的评审", True),
    ("8.2.3.1", "Review before committing to supply", "承诺供货前的评审", False),
    ("8.2.3.2", "Retaining the results of the review", "评审结果的保留", False),
    ("8.2.4", "Changes to requirements", "产品和服务要求的更改", True),
    ("8.3", "Design and development", "设计和开发", False),
    ("8.3.1", "Design and development in general", "设计和开发总则", False),
    ("8.3.2", "Design and development planning", "设计和开发策划", False),
    ("8.3.3", "Design and development inputs", "设计和开发输入", False),
    ("8.3.4", "Design and development controls", "设计和开发控制", False),
    ("8.3.5", "Design and development outputs", "设计和开发输出", False),
    ("8.3.6", "Design and development changes", "设计和开发更改", False),
    ("8.4", "Externally provided processes, products and services", "外部提供的过程、产品和服务的控制", False),
    ("8.4.1", "External provision in general", "外部提供总则", False),
    ("8.4.2", "Type and extent of control", "控制类型和程度", False),
    ("8.4.3", "Information for external providers", "提供给外部供方的信息", False),
    ("8.5", "Production and service provision", "生产和服务提供", False),
    ("8.5.1", "Controlled production and service provision", "生产和服务提供的控制", False),
    ("8.5.2", "Identification and traceability", "标识和可追溯性", False),
    ("8.5.3", "Property of customers or external providers", "顾客或外部供方的财产", False),
    ("8.5.4", "Preservation", "防护", False),
    ("8.5.5", "Post-delivery activities", "交付后活动", False),
    ("8.5.6", "Control of changes in production", "更改控制", False),
    ("8.6", "Release of products and services", "产品和服务的放行", False),
    ("8.7", "Control of nonconforming outputs", "不合格输出的控制", False),
    ("8.7.1", "Handling nonconforming outputs", "不合格输出的处置", False),
    ("8.7.2", "Records of nonconforming outputs", "不合格输出的记录", False),
    ("9", "Performance evaluation", "绩效评价", False),
    ("9.1", "Monitoring, measurement, analysis and evaluation", "监视、测量、分析和评价", False),
    ("9.1.1", "Monitoring and measurement in general", "监视和测量总则", False),
    ("9.1.2", "Customer satisfaction", "顾客满意", True),
    ("9.1.3", "Analysis and evaluation", "分析与评价", True),
    ("9.2", "Internal audit", "内部审核", False),
    ("9.2.1", "Conducting internal audits", "实施内部审核", False),
    ("9.2.2", "Audit programme", "审核方案", False),
    ("9.3", "Management review", "管理评审", True),
    ("9.3.1", "Management review in general", "管理评审总则", False),
    ("9.3.2", "Management review inputs", "管理评审输入", True),
    ("9.3.3", "Management review outputs", "管理评审输出", False),
    ("10", "Improvement", "改进", False),
    ("10.1", "Improvement in general", "改进总则", False),
    ("10.2", "Nonconformity and corrective action", "不合格和纠正措施", True),
    ("10.2.1", "Reacting to nonconformities, including complaints", "对不合格（含投诉）的应对", False),
    ("10.2.2", "Records of nonconformities and actions", "不合格与措施的记录", False),
    ("10.3", "Continual improvement", "持续改进", False),
]

CLAUSES: dict[str, Clause] = {
    cid: Clause(cid, {"en": en, "zh": zh}, focus) for cid, en, zh, focus in _CATALOGUE
}


def is_clause(clause_id: str) -> bool:
    return clause_id in CLAUSES


def clause_sort_key(clause_id: str) -> tuple[int, ...]:
    return tuple(int(part) for part in clause_id.split("."))
