import type { Department } from '../department.js';

/**
 * The departments of the reference chain (see DOMAIN.md). District level unless the approval sits upstairs
 * (上下协同): 气象 approvals are issued by the city's bureau; the EIA of a project with a full report (报告书) by the
 * city's 生态环境局 (ENV_CITY), the district branch (ENV) approving report forms; the safety conditions review of
 * hazardous works that form a major hazard source by the province's 应急管理厅 (EMG_PROV). The agent carries the
 * originals of upper-level steps up in batches and collects the approvals.
 */
export const referenceDepartments: Department[] = [
  {
    id: 'DRC',
    name: '发展和改革局',
    nameEn: 'Development and Reform Commission',
    level: 'district',
    phone: '025-52101001',
  },
  {
    id: 'NRP',
    name: '自然资源和规划局',
    nameEn: 'Natural Resources and Planning Bureau',
    level: 'district',
    phone: '025-52101102',
  },
  {
    id: 'REG',
    name: '不动产登记中心',
    nameEn: 'Real Estate Registration Centre',
    level: 'district',
    phone: '025-52101203',
  },
  {
    id: 'ENV',
    name: '生态环境局（区分局）',
    nameEn: 'Ecology and Environment Bureau (district branch)',
    level: 'district',
    phone: '025-52101304',
  },
  {
    id: 'ENV_CITY',
    name: '市生态环境局',
    nameEn: 'Municipal Ecology and Environment Bureau',
    level: 'city',
    phone: '025-83301304',
  },
  { id: 'WAT', name: '水利局', nameEn: 'Water Resources Bureau', level: 'district', phone: '025-52101405' },
  {
    id: 'CUL',
    name: '文化广电和旅游局',
    nameEn: 'Culture, Radio, Television and Tourism Bureau',
    level: 'district',
    phone: '025-52101506',
  },
  {
    id: 'PET',
    name: '信访局',
    nameEn: 'Letters and Visits Bureau',
    level: 'district',
    phone: '025-52101607',
  },
  {
    id: 'EMG',
    name: '应急管理局',
    nameEn: 'Emergency Management Bureau',
    level: 'district',
    phone: '025-52101708',
  },
  {
    id: 'EMG_PROV',
    name: '省应急管理厅',
    nameEn: 'Provincial Emergency Management Department',
    level: 'province',
    phone: '025-83391708',
  },
  {
    id: 'CAD',
    name: '人民防空办公室',
    nameEn: 'Civil Air Defence Office',
    level: 'district',
    phone: '025-52101809',
  },
  {
    id: 'MET',
    name: '市气象局',
    nameEn: 'Municipal Meteorological Bureau',
    level: 'city',
    phone: '025-52101910',
  },
  {
    id: 'GRN',
    name: '园林局',
    nameEn: 'Landscape and Greening Bureau',
    level: 'district',
    phone: '025-52102011',
  },
  {
    id: 'UTL',
    name: '供水、供电、燃气公用企业',
    nameEn: 'Water, Power and Gas Utilities',
    level: 'district',
    phone: '025-52102112',
  },
  {
    id: 'URB',
    name: '城市管理局',
    nameEn: 'Urban Management Bureau',
    level: 'district',
    phone: '025-52102213',
  },
  {
    id: 'HUD',
    name: '住房和城乡建设局（含施工图审查中心）',
    nameEn: 'Housing and Urban-Rural Development Bureau (incl. Drawing Review Centre)',
    level: 'district',
    phone: '025-52102314',
  },
  {
    id: 'PRT',
    name: '公共资源交易中心',
    nameEn: 'Public Resources Trading Centre',
    level: 'district',
    phone: '025-52102415',
  },
  {
    id: 'ARC',
    name: '城建档案馆',
    nameEn: 'Urban Construction Archives',
    level: 'district',
    phone: '025-52102516',
  },
];
