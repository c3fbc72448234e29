import { PageQuery } from '../../../common/pagination/page-query.dto.js';
import { SearchText } from '../../../common/search/search-text.js';

export class SearchPatientsQuery extends PageQuery {
  @SearchText({ required: true })
  q: string;
}
