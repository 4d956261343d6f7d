// Every word a rendered report shows (docs/contract.md#reports-to-management), in each report
// language. The renderers hold no text of their own, so a language is complete when its entry here
// typechecks. Russian follows Russian typography: a decimal comma, a space before "%", "п. п." for
// percentage points, "−" for minus (the number formats come from Intl, see report-format.ts).
import type { DailyFigure, ReportLang, ReportPeriod } from '../../contract/reports.js';

export interface ReportStrings {
  /** Intl locale the numbers and dates are formatted in. */
  locale: string;
  product: string;
  periodKind: { [K in ReportPeriod]: string };
  period: string;
  timeZone: string;
  generatedAt: string;
  page: string;
  of: string;
  figures: { [K in DailyFigure]: string };
  allLines: string;
  line: string;
  total: string;
  day: string;
  noData: string;
  units: { day: string; hour: string; minute: string; second: string; hours: string; percentPoints: string };
  /** An axis title for a duration shown in minutes or hours. */
  axisMinutes: string;
  axisHours: string;
  summary: {
    title: string;
    comparedWith: (previousPeriod: string) => string;
    previous: string;
    noChange: string;
    noComparison: string;
    better: string;
    worse: string;
  };
  trend: { title: (figure: string) => string };
  lines: { title: string };
  worstDays: { title: (figure: string) => string; highest: (figure: string) => string; rank: string; none: string };
  incidents: {
    title: string;
    number: string;
    incident: string;
    severity: string;
    declared: string;
    mitigated: string;
    resolved: string;
    duration: string;
    open: string;
    none: string;
    followUps: string;
    owner: string;
    due: string;
    done: string;
    toDo: string;
  };
  forecast: { title: string; period: string; explain: string };
  staffing: { title: string; axis: string; scheduled: string; required: string; difference: string; coverage: string; explain: string };
  notes: { title: string };
}

const en: ReportStrings = {
  locale: 'en-GB',
  product: 'Watchfloor',
  periodKind: { day: 'Daily report', week: 'Weekly report', month: 'Monthly report' },
  period: 'Period',
  timeZone: 'Time zone',
  generatedAt: 'Generated',
  page: 'Page',
  of: 'of',
  figures: {
    created: 'Tickets created',
    solved: 'Tickets solved',
    backlog: 'Open tickets (backlog)',
    targetsMet: 'Targets met',
    targetsMissed: 'Targets missed',
    compliance: 'SLA compliance',
    frtMedianSec: 'First response, median',
    frtP90Sec: 'First response, 90th percentile',
    resolutionMedianSec: 'Resolution time, median',
    resolutionP90Sec: 'Resolution time, 90th percentile',
    csatGood: 'Good ratings',
    csatRated: 'Ratings received',
    csat: 'Customer satisfaction (CSAT)',
    reopened: 'Reopened',
    escalated: 'Escalated',
    incidents: 'Major incidents',
    incidentMinutes: 'Time in major incidents',
    timeToMitigateMedianSec: 'Time to mitigate, median',
    timeToResolveMedianSec: 'Time to resolve, median',
    forecastWape: 'Forecast error (WAPE)',
    scheduledAgentHours: 'Scheduled agent-hours',
    requiredAgentHours: 'Required agent-hours',
  },
  allLines: 'All lines',
  line: 'Line',
  total: 'Total',
  day: 'Day',
  noData: 'No data for this period',
  units: { day: 'd', hour: 'h', minute: 'min', second: 's', hours: 'h', percentPoints: 'pp' },
  axisMinutes: 'minutes',
  axisHours: 'hours',
  summary: {
    title: 'Summary',
    comparedWith: (previousPeriod) => `All lines, compared with the previous period (${previousPeriod})`,
    previous: 'Previous period',
    noChange: 'no change',
    noComparison: 'no comparison',
    better: 'better',
    worse: 'worse',
  },
  trend: { title: (figure) => `${figure} by day` },
  lines: { title: 'By line' },
  worstDays: {
    title: (figure) => `Worst days: ${figure}`,
    highest: (figure) => `Highest days: ${figure}`,
    rank: 'Rank',
    none: 'No day of this period has a value for this figure.',
  },
  incidents: {
    title: 'Major incidents',
    number: 'No.',
    incident: 'Incident',
    severity: 'Severity',
    declared: 'Declared',
    mitigated: 'Mitigated',
    resolved: 'Resolved',
    duration: 'Duration',
    open: 'still open',
    none: 'No incidents in this period.',
    followUps: 'Follow-ups',
    owner: 'owner',
    due: 'due',
    done: 'done',
    toDo: 'open',
  },
  forecast: {
    title: 'Forecast accuracy',
    period: 'Period',
    explain: 'Weighted absolute percentage error of the ticket forecast: lower is better.',
  },
  staffing: {
    title: 'Staffing: scheduled and required agent-hours',
    axis: 'Agent-hours',
    scheduled: 'Scheduled',
    required: 'Required',
    difference: 'Difference',
    coverage: 'Coverage',
    explain: 'Required agent-hours are what the forecast and the service targets called for.',
  },
  notes: { title: 'What these figures cannot show' },
};

const ru: ReportStrings = {
  locale: 'ru-RU',
  product: 'Watchfloor',
  periodKind: { day: 'Ежедневный отчёт', week: 'Еженедельный отчёт', month: 'Ежемесячный отчёт' },
  period: 'Период',
  timeZone: 'Часовой пояс',
  generatedAt: 'Сформирован',
  page: 'Стр.',
  of: 'из',
  figures: {
    created: 'Новые обращения',
    solved: 'Решённые обращения',
    backlog: 'Открытые обращения',
    targetsMet: 'Сроки соблюдены',
    targetsMissed: 'Сроки нарушены',
    compliance: 'Соблюдение SLA',
    frtMedianSec: 'Время первого ответа, медиана',
    frtP90Sec: 'Время первого ответа, 90-й процентиль',
    resolutionMedianSec: 'Время решения, медиана',
    resolutionP90Sec: 'Время решения, 90-й процентиль',
    csatGood: 'Положительные оценки',
    csatRated: 'Получено оценок',
    csat: 'Удовлетворённость клиентов (CSAT)',
    reopened: 'Открыты повторно',
    escalated: 'Эскалированы',
    incidents: 'Крупные инциденты',
    incidentMinutes: 'Длительность крупных инцидентов',
    timeToMitigateMedianSec: 'Время до восстановления сервиса, медиана',
    timeToResolveMedianSec: 'Время до устранения, медиана',
    forecastWape: 'Ошибка прогноза (WAPE)',
    scheduledAgentHours: 'Человеко-часы по графику',
    requiredAgentHours: 'Требуемые человеко-часы',
  },
  allLines: 'Все линии',
  line: 'Линия',
  total: 'Итого',
  day: 'День',
  noData: 'Нет данных за этот период',
  units: { day: 'дн.', hour: 'ч', minute: 'мин', second: 'с', hours: 'ч', percentPoints: 'п. п.' },
  axisMinutes: 'минуты',
  axisHours: 'часы',
  summary: {
    title: 'Сводка',
    comparedWith: (previousPeriod) => `Все линии, в сравнении с предыдущим периодом (${previousPeriod})`,
    previous: 'Предыдущий период',
    noChange: 'без изменений',
    noComparison: 'сравнение невозможно',
    better: 'лучше',
    worse: 'хуже',
  },
  trend: { title: (figure) => `${figure} по дням` },
  lines: { title: 'По линиям' },
  worstDays: {
    title: (figure) => `Худшие дни по показателю «${figure}»`,
    highest: (figure) => `Дни с наибольшим значением показателя «${figure}»`,
    rank: 'Место',
    none: 'Ни за один день периода нет значения этого показателя.',
  },
  incidents: {
    title: 'Крупные инциденты',
    number: '№',
    incident: 'Инцидент',
    severity: 'Критичность',
    declared: 'Объявлен',
    mitigated: 'Сервис восстановлен',
    resolved: 'Устранён',
    duration: 'Длительность',
    open: 'не устранён',
    none: 'Инцидентов за этот период не было.',
    followUps: 'Последующие действия',
    owner: 'ответственный',
    due: 'срок',
    done: 'выполнено',
    toDo: 'не выполнено',
  },
  forecast: {
    title: 'Точность прогноза',
    period: 'За период',
    explain: 'Взвешенная средняя абсолютная процентная ошибка прогноза обращений: чем меньше, тем лучше.',
  },
  staffing: {
    title: 'Укомплектованность: человеко-часы по графику и требуемые',
    axis: 'Человеко-часы',
    scheduled: 'По графику',
    required: 'Требуется',
    difference: 'Разница',
    coverage: 'Покрытие',
    explain: 'Требуемые человеко-часы рассчитаны по прогнозу обращений и целевым срокам обслуживания.',
  },
  notes: { title: 'Чего эти цифры не показывают' },
};

export const REPORT_STRINGS: { readonly [K in ReportLang]: ReportStrings } = { en, ru };
